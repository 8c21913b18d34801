/**
 * Screenshots of the options and the outline review for a person to look at: 1280 and 375 px
 * wide, light and dark; the start form with its options open, the owner's outline editor,
 * the editor refusing a blank section, and the proposal as a reader of the link sees it.
 * `pnpm --filter @inkflow/web exec tsx scripts/review-screenshots.ts [outDir]` (after `pnpm build`).
 */
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { spawnApi } from '../e2e/helpers/api-process.js'
import { launchChromium } from '../e2e/helpers/browser.js'
import { serveSpa } from '../e2e/helpers/static-server.js'

const out = process.argv[2] ?? '/tmp/inkflow-screens'
mkdirSync(out, { recursive: true })
const spa = await serveSpa(fileURLToPath(new URL('../dist', import.meta.url)))
const api = await spawnApi({ DEMO_TOKEN_DELAY_MS: '0', CORS_ORIGINS: spa.origin })
spa.setConfig({ apiBaseUrl: api.baseUrl })
const browser = await launchChromium()
try {
  for (const [width, height] of [
    [1280, 900],
    [375, 812],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      const name = `${width}-${scheme}`
      const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme })
      const page = await context.newPage()
      const shot = (step: string) =>
        page.screenshot({ path: `${out}/${name}-review-${step}.png`, fullPage: true })
      await page.goto(spa.origin)
      await page.locator('summary', { hasText: 'Options' }).click()
      await page.getByRole('radio', { name: 'Playful' }).check()
      await page.getByRole('radio', { name: 'Short' }).check()
      await page.getByRole('textbox', { name: 'Audience' }).fill('beginners')
      await page.getByRole('checkbox', { name: 'Let me review the outline first' }).check()
      await page.getByRole('textbox', { name: 'Topic' }).fill('The history of tea')
      await shot('1-options')
      await page.getByRole('button', { name: 'Generate' }).click()
      const editor = page.getByTestId('outline-editor')
      await editor.waitFor({ timeout: 30_000 })
      await shot('2-editor')
      await editor.getByRole('textbox', { name: 'Section 2' }).fill(' ')
      await editor.getByRole('button', { name: 'Write it' }).click()
      await shot('3-editor-invalid')
      const reader = await browser.newContext({ viewport: { width, height }, colorScheme: scheme })
      const readerPage = await reader.newPage()
      await readerPage.goto(page.url())
      await readerPage.getByText('Waiting for the author to approve the outline').waitFor()
      await readerPage.screenshot({ path: `${out}/${name}-review-4-reader.png`, fullPage: true })
      await reader.close()
      await context.close()
    }
  }
  console.log(`screenshots in ${out}`)
} finally {
  await browser.close()
  await api.stop()
  await spa.close()
}
