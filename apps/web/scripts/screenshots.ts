/**
 * Screenshots of the built SPA for a person to look at: 1280×800 and 375×740, light and
 * dark; the start page, an article being written and being polished (the window as the
 * reader sees it), finished (the whole page), a section being revised and the revised
 * version, cancelled half-way, an outline review, and an Arabic article (right to left).
 * `pnpm --filter @inkflow/web screenshots [outDir]` (after `pnpm build`).
 */
import { mkdirSync } from 'node:fs'
import { startE2e } from '../e2e/helpers/e2e-fixture.js'

const out = process.argv[2] ?? '/tmp/inkflow-screens'
mkdirSync(out, { recursive: true })
const e2e = await startE2e({ settings: { DEMO_TOKEN_DELAY_MS: '25' } })
try {
  for (const [width, height] of [
    [1280, 800],
    [375, 740],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      const name = `${width}-${scheme}`
      const page = await e2e.open({ width, height, colorScheme: scheme })
      const shot = (step: string, fullPage = true) =>
        page.screenshot({ path: `${out}/${name}-${step}.png`, fullPage })
      await page.goto(e2e.origin)
      await page.getByRole('heading', { name: 'Recent articles' }).waitFor()
      await shot('1-home')
      await page.getByRole('textbox', { name: 'Topic' }).fill('The history of tea')
      await page.getByRole('textbox', { name: 'Topic' }).press('Enter')
      await page
        .locator('[data-testid="live-section"][data-index="1"]')
        .waitFor({ timeout: 30_000 })
      await page.waitForTimeout(1500) // mid-sentence, caret showing
      await shot('2-writing', false)
      // One section polished, the next one being polished beside its draft.
      await page
        .locator('.article-section[data-state="polishing"][data-index="1"]')
        .waitFor({ timeout: 60_000 })
      await page.waitForTimeout(1200)
      await shot('3-polishing', false)
      await page.getByTestId('article').waitFor({ timeout: 60_000 })
      await shot('4-finished')
      // The second section revised: the rewrite streaming beside the previous text, then v2.
      await page
        .getByRole('button', { name: /^Revise this section/ })
        .nth(1)
        .click()
      await page.getByRole('textbox', { name: /^How should/ }).fill('shorter, with one example')
      await shot('5-revise-form', false)
      await page.getByRole('button', { name: 'Revise', exact: true }).click()
      await page.getByTestId('previous-text').waitFor({ timeout: 30_000 })
      await page.waitForTimeout(800)
      await page.getByTestId('previous-text').scrollIntoViewIfNeeded()
      await shot('6-revising', false)
      await page.getByTestId('article').waitFor({ timeout: 60_000 })
      await page.getByRole('navigation', { name: 'Versions' }).waitFor()
      await page.evaluate(() => scrollTo(0, 0))
      await shot('7-revised')
      // Cancelled half-way: what was written stays, to copy.
      await page.goto(e2e.origin)
      await page.getByRole('textbox', { name: 'Topic' }).fill('Tea ceremonies')
      await page.getByRole('textbox', { name: 'Topic' }).press('Enter')
      await page
        .locator('[data-testid="live-section"][data-index="1"] p')
        .waitFor({ timeout: 30_000 })
      await page.getByRole('button', { name: 'Cancel', exact: true }).click()
      await page.locator('[data-testid="job"][data-status="cancelled"]').waitFor()
      await page.evaluate(() => scrollTo(0, 0))
      await shot('8-cancelled', false)
      // An outline waiting for its review, one field edited.
      await page.goto(e2e.origin)
      await page.locator('summary', { hasText: 'Options' }).click()
      await page.getByRole('checkbox', { name: 'Let me review the outline first' }).check()
      await page.getByRole('textbox', { name: 'Topic' }).fill('تاريخ الشّاي')
      await page.getByRole('button', { name: 'Generate' }).click()
      await page.getByTestId('outline-editor').waitFor({ timeout: 30_000 })
      await page.getByRole('textbox', { name: 'Section 2' }).fill('My own section')
      await page.getByRole('button', { name: 'Cancel the article' }).click()
      await shot('9-review')
      // An article in Arabic: the options with the language, then the article right to left.
      await page.goto(e2e.origin)
      await page.locator('summary', { hasText: 'Options' }).click()
      await page.getByRole('combobox', { name: 'Language' }).selectOption('ar')
      await page.getByRole('textbox', { name: 'Topic' }).fill('المقاهي')
      await shot('10-options', false)
      await page.getByRole('button', { name: 'Generate' }).click()
      await page.getByTestId('article').waitFor({ timeout: 60_000 })
      await shot('11-arabic')
      await e2e.closePages()
    }
  }
  console.log(`screenshots in ${out}`)
} finally {
  await e2e.close()
}
