import { startLlmStub } from '@inkflow/llm-stub'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchChromium } from './helpers/browser.js'
import { startEnvironment } from './helpers/environment.js'
import { startJob } from './helpers/page-helpers.js'

let browser: Browser
let page: Page

describe.skipIf(!hasChromium)('Markdown from the LLM', () => {
  beforeAll(async () => {
    browser = await launchChromium()
    page = await browser.newPage()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
  })

  it('renders what the LLM wrote inert: no script, no handler, no javascript: link runs', async () => {
    const evil = [
      'Plain words first. <script>window.__pwned = "script"</script>',
      '',
      '<img src="x" onerror="window.__pwned = \'onerror\'"> and an [innocent link](javascript:window.__pwned=\'link\') here.',
      '',
      '<a href="javascript:window.__pwned=\'raw\'" onclick="window.__pwned=\'click\'">raw anchor</a>',
      '',
      '[a fine link](https://example.com/) stays.',
    ].join('\n')
    // A real chat-completions server: the outline as asked, every section the hostile text.
    const stub = await startLlmStub({
      reply: ({ body }) => (body.messages.at(-1)?.content.includes('YAML') ? {} : { text: evil }),
    })
    const hostile = await startEnvironment({
      LLM_PROVIDER: 'openai',
      OPENAI_API_KEY: 'x',
      OPENAI_BASE_URL: stub.url,
    })
    try {
      const dialogs: string[] = []
      page.on('dialog', (d) => {
        dialogs.push(d.message())
        void d.dismiss()
      })
      await startJob(page, hostile.spa.origin, 'Injection')
      const article = page.getByTestId('article')
      await article.waitFor({ timeout: 30_000 })
      expect(await article.locator('script, img, [onerror], [onclick], iframe').count()).toBe(0)
      expect(await article.locator('a[href^="javascript:" i]').count()).toBe(0)
      // Raw HTML is shown as the text it is.
      expect(await article.textContent()).toContain('<script>window.__pwned = "script"</script>')
      for (const link of await article.locator('a').all()) {
        if ((await link.getAttribute('href'))?.startsWith('https:')) continue
        await link.click()
      }
      expect(await article.locator('a[href="https://example.com/"]').count()).toBeGreaterThan(0)
      expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined()
      expect(dialogs).toEqual([])
    } finally {
      await hostile.close()
      await stub.close()
    }
  }, 60_000)
})
