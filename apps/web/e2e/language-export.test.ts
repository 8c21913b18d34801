import { readFile } from 'node:fs/promises'
import { startLlmStub } from '@inkflow/llm-stub'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations } from './helpers/axe.js'
import { hasChromium, launchChromium } from './helpers/browser.js'
import { type Environment, startEnvironment } from './helpers/environment.js'
import { startJob } from './helpers/page-helpers.js'

let browser: Browser

/** Saves the article as HTML through the page's button and returns the file's text. */
async function exportHtml(page: Page): Promise<{ name: string; html: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download .html' }).click(),
  ])
  return {
    name: download.suggestedFilename(),
    html: await readFile((await download.path())!, 'utf8'),
  }
}

describe.skipIf(!hasChromium)('the article’s language and its export', () => {
  beforeAll(async () => {
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
  })

  it('writes an Arabic article right to left, and exports it with its lang and dir', async () => {
    const env: Environment = await startEnvironment({ DEMO_TOKEN_DELAY_MS: '0' })
    const context = await browser.newContext({ viewport: { width: 375, height: 812 } })
    try {
      const page = await context.newPage()
      await page.goto(env.spa.origin)
      await page.getByText('Options').click()
      const language = page.getByRole('combobox', { name: 'Language' })
      await language.selectOption('ar')
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme })
        expect(await axeViolations(page), `the options with a language, ${colorScheme}`).toEqual([])
      }
      // A tag of one's own is checked as it is typed.
      await language.selectOption('other')
      const tag = page.getByRole('textbox', { name: /^Language tag/ })
      await tag.fill('not a tag')
      expect(await tag.getAttribute('aria-invalid')).toBe('true')
      await tag.fill('ar-EG')
      expect(await tag.getAttribute('aria-invalid')).toBeNull()
      const topic = page.getByRole('textbox', { name: 'Topic' })
      await topic.fill('Coffee houses')
      await topic.press('Enter')
      await page.waitForURL(/#\/jobs\//)
      const article = page.getByTestId('article')
      await article.waitFor({ timeout: 30_000 })
      expect(await article.getAttribute('lang')).toBe('ar-EG')
      expect(await article.getAttribute('dir')).toBe('rtl')
      expect(await page.getByTestId('job-options').textContent()).toContain('ar-EG')
      const { name, html } = await exportHtml(page)
      expect(name).toMatch(/\.html$/)
      expect(html).toMatch(/^<!doctype html>\n<html lang="ar-EG" dir="rtl">/)
    } finally {
      await context.close()
      await env.close()
    }
  }, 60_000)

  it('exports a hostile model answer inert: the HTML file runs nothing when opened', async () => {
    const evil = [
      'Plain words first. <script>window.__pwned = "script"</script>',
      '',
      '<img src="x" onerror="window.__pwned = \'onerror\'"> and an [innocent link](javascript:window.__pwned=\'link\') here.',
      '',
      '<a href="javascript:window.__pwned=\'raw\'" onclick="window.__pwned=\'click\'">raw anchor</a>',
      '',
      '[a fine link](https://example.com/) stays.',
    ].join('\n')
    const stub = await startLlmStub({
      reply: ({ body }) => (body.messages.at(-1)?.content.includes('YAML') ? {} : { text: evil }),
    })
    const env = await startEnvironment({
      LLM_PROVIDER: 'openai',
      OPENAI_API_KEY: 'x',
      OPENAI_BASE_URL: stub.url,
    })
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await startJob(page, env.spa.origin, 'Injection')
      await page.getByTestId('article').waitFor({ timeout: 30_000 })
      const { html } = await exportHtml(page)
      expect(html).toContain('lang="en"')
      // The raw HTML is there as text (escaped), never as a tag.
      expect(html).not.toMatch(/<(script|img|iframe)\b/i)

      // Opened as the file it is: nothing runs, and the raw HTML reads as text.
      const reader = await context.newPage()
      const dialogs: string[] = []
      reader.on('dialog', (d) => {
        dialogs.push(d.message())
        void d.dismiss()
      })
      await reader.setContent(html)
      const body = reader.locator('article')
      expect(await body.locator('script, img, [onerror], [onclick], iframe').count()).toBe(0)
      expect(await body.textContent()).toContain('<script>window.__pwned = "script"</script>')
      for (const link of await body.locator('a').all()) {
        if ((await link.getAttribute('href'))?.startsWith('https:')) continue
        await link.click()
      }
      expect(await body.locator('a[href="https://example.com/"]').count()).toBeGreaterThan(0)
      expect(await reader.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined()
      expect(dialogs).toEqual([])
    } finally {
      await context.close()
      await env.close()
      await stub.close()
    }
  }, 60_000)
})
