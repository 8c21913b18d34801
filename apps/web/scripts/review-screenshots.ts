/**
 * Screenshots of the options and the outline review for a person to look at: 1280 and 375 px
 * wide, light and dark; the start form with its options open, the owner's outline editor,
 * the editor refusing a blank section, and the proposal as a reader of the link sees it.
 * `pnpm --filter @inkflow/web exec tsx scripts/review-screenshots.ts [outDir]` (after `pnpm build`).
 */
import { mkdirSync } from 'node:fs'
import { startE2e } from '../e2e/helpers/e2e-fixture.js'

const out = process.argv[2] ?? '/tmp/inkflow-screens'
mkdirSync(out, { recursive: true })
const e2e = await startE2e({ settings: { DEMO_TOKEN_DELAY_MS: '0' } })
try {
  for (const [width, height] of [
    [1280, 900],
    [375, 812],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      const name = `${width}-${scheme}`
      const page = await e2e.open({ width, height, colorScheme: scheme })
      const shot = (step: string) =>
        page.screenshot({ path: `${out}/${name}-review-${step}.png`, fullPage: true })
      await page.goto(e2e.origin)
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
      const readerPage = await e2e.open({ width, height, colorScheme: scheme })
      await readerPage.goto(page.url())
      await readerPage.getByText('Waiting for the author to approve the outline').waitFor()
      await readerPage.screenshot({ path: `${out}/${name}-review-4-reader.png`, fullPage: true })
      await e2e.closePages()
    }
  }
  console.log(`screenshots in ${out}`)
} finally {
  await e2e.close()
}
