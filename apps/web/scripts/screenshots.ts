/**
 * Screenshots of the built SPA at desktop and phone widths, for a person to look at:
 * `pnpm --filter @inkflow/web screenshots [outDir]` (after `pnpm build`).
 */
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { spawnApi } from '../e2e/helpers/api-process.js'
import { launchChromium } from '../e2e/helpers/browser.js'
import { serveSpa } from '../e2e/helpers/static-server.js'

const out = process.argv[2] ?? '/tmp/inkflow-screens'
mkdirSync(out, { recursive: true })
const spa = await serveSpa(fileURLToPath(new URL('../dist', import.meta.url)))
const api = await spawnApi({ DEMO_TOKEN_DELAY_MS: '25', CORS_ORIGINS: spa.origin })
spa.setConfig({ apiBaseUrl: api.baseUrl })
const browser = await launchChromium()
try {
  for (const [name, width, height, scheme] of [
    ['desktop', 1280, 900, 'light'],
    ['phone', 360, 780, 'light'],
    ['phone-dark', 360, 780, 'dark'],
  ] as const) {
    const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme })
    const page = await context.newPage()
    await page.goto(spa.origin)
    await page.getByRole('heading', { name: 'Recent articles' }).waitFor()
    await page.screenshot({ path: `${out}/${name}-1-home.png`, fullPage: true })
    await page.getByRole('textbox', { name: 'Topic' }).fill('The history of tea')
    await page.getByRole('textbox', { name: 'Topic' }).press('Enter')
    await page.locator('[data-testid="live-section"][data-index="1"]').waitFor({ timeout: 20_000 })
    await page.screenshot({ path: `${out}/${name}-2-writing.png`, fullPage: true })
    await context.setOffline(true)
    await page.getByTestId('reconnecting').waitFor()
    await page.screenshot({ path: `${out}/${name}-2b-reconnecting.png` })
    await context.setOffline(false)
    await page.locator('[data-testid="live-polished"]').waitFor({ timeout: 30_000 })
    await page.waitForTimeout(1500)
    await page.screenshot({ path: `${out}/${name}-3-polishing.png`, fullPage: true })
    await page.locator('[data-testid="article"]').waitFor({ timeout: 60_000 })
    await page.screenshot({ path: `${out}/${name}-4-finished.png`, fullPage: true })
    await context.close()
  }
  console.log(`screenshots in ${out}`)
} finally {
  await browser.close()
  await api.stop()
  await spa.close()
}
