import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { axeViolations } from './helpers/axe.js'
import { hasChromium } from './helpers/browser.js'
import { hostileModel } from './helpers/hostile-model.js'
import { startJob } from './helpers/page-helpers.js'
import { useE2e } from './helpers/use-e2e.js'

/** Saves the article as HTML through the page's button and returns the file's text. */
async function exportHtml(page: Page): Promise<{ name: string; html: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download .html' }).click(),
  ])
  const path = await download.path()
  return { name: download.suggestedFilename(), html: await readFile(path, 'utf8') }
}

describe.skipIf(!hasChromium)('the article’s language', () => {
  const e2e = useE2e({ settings: { DEMO_TOKEN_DELAY_MS: '0' } })

  it('writes an Arabic article right to left, and exports it with its lang and dir', async () => {
    const page = await e2e.open({ width: 375, height: 812 })
    await page.goto(e2e.origin)
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
  }, 60_000)
})

describe.skipIf(!hasChromium)('the article exported as HTML', () => {
  const e2e = useE2e({ model: hostileModel })

  it('keeps a hostile model answer inert: the file runs nothing when opened', async () => {
    const page = await e2e.open()
    await startJob(page, e2e.origin, 'Injection')
    await page.getByTestId('article').waitFor({ timeout: 30_000 })
    const { html } = await exportHtml(page)
    expect(html).toContain('<html lang="en" dir="ltr">')
    // The raw HTML is there as text (escaped), never as a tag.
    expect(html).not.toMatch(/<(script|img|iframe)\b/i)

    // Opened as the file it is: nothing runs, and the raw HTML reads as text.
    const reader = await page.context().newPage()
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
  }, 60_000)
})
