import { describe, expect, it } from 'vitest'
import { hasChromium } from './helpers/browser.js'
import { hostileModel } from './helpers/hostile-model.js'
import { startJob } from './helpers/page-helpers.js'
import { useE2e } from './helpers/use-e2e.js'

describe.skipIf(!hasChromium)('Markdown from the LLM', () => {
  const e2e = useE2e({ model: hostileModel })

  it('renders what the LLM wrote inert: no script, no handler, no javascript: link runs', async () => {
    const page = await e2e.open()
    const dialogs: string[] = []
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    await startJob(page, e2e.origin, 'Injection')
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
  }, 60_000)
})
