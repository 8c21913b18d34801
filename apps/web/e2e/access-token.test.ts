import { describe, expect, it } from 'vitest'
import { hasChromium } from './helpers/browser.js'
import { useE2e } from './helpers/use-e2e.js'

const TOKEN = 'e2e-access-token-0123456789'
const OPERATOR = 'e2e-operator-token-0123456789'

describe.skipIf(!hasChromium)('the SPA against an API that needs API_TOKEN', () => {
  const e2e = useE2e({
    settings: { DEMO_TOKEN_DELAY_MS: '0', API_TOKEN: TOKEN, OPERATOR_TOKEN: OPERATOR },
  })

  it('asks for the token once, starts the article with it, and keeps it for the next visit', async () => {
    const page = await e2e.open()
    const authorization: (string | undefined)[] = []
    page.on('request', (request) => {
      if (request.url().endsWith('/api/jobs') && request.method() === 'POST')
        authorization.push(request.headers().authorization)
    })

    await page.goto(e2e.origin)
    // The start page lists this browser's own articles: it never asks the server for all.
    const recent = page.getByRole('region', { name: 'Recent articles' })
    await expect.poll(() => recent.textContent()).toContain('None yet')
    const topic = page.getByRole('textbox', { name: 'Topic' })
    await topic.fill('Beekeeping on rooftops')
    await topic.press('Enter')
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('needs an access token')
    const token = page.getByLabel('Access token')
    await expect.poll(() => token.evaluate((el) => el === document.activeElement)).toBe(true)

    await token.fill('not-the-token-at-all')
    await token.press('Enter')
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('did not accept')
    // The operator's token is not the API token: refused too, and not kept in the browser.
    await token.fill(OPERATOR)
    await token.press('Enter')
    await expect.poll(() => authorization.length).toBe(3)
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('did not accept')
    const kept = () => page.evaluate(() => JSON.stringify({ ...localStorage }))
    expect(await kept()).not.toContain(OPERATOR)

    await token.fill(TOKEN)
    await token.press('Enter')
    await page.waitForURL(/#\/jobs\/[^/]+$/, { timeout: 10_000 })
    await page.getByTestId('article').waitFor({ timeout: 30_000 })
    expect(authorization).toEqual([
      undefined,
      'Bearer not-the-token-at-all',
      `Bearer ${OPERATOR}`,
      `Bearer ${TOKEN}`,
    ])
    expect(await kept()).toContain(TOKEN)
    expect(await kept()).not.toContain(OPERATOR)

    // A later visit in the same browser lists the article (from this browser's history).
    const again = await page.context().newPage()
    await again.goto(e2e.origin)
    const row = again
      .getByTestId('recent-jobs')
      .locator('li', { hasText: 'Beekeeping on rooftops' })
    // Its status comes from the server (GET /api/jobs/{id}): give a loaded machine time.
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('completed')
  })
})
