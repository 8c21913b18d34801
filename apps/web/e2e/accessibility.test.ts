import { isOutline, promptOf, type StubRequest } from '@inkflow/llm-stub'
import type { Page } from 'playwright-core'
import { beforeEach, describe, expect, it } from 'vitest'
import { expectNoViolations } from './helpers/axe.js'
import { hasChromium } from './helpers/browser.js'
import { startJob, waitForSeqAbove } from './helpers/page-helpers.js'
import { scriptedModel, TOPICS } from './helpers/scripted-model.js'
import { useE2e } from './helpers/use-e2e.js'

let page: Page

const focused = () =>
  page.evaluate(() => {
    const el = document.activeElement
    return { tag: el?.tagName.toLowerCase(), text: el?.textContent?.trim(), id: el?.id }
  })

/** The topic whose outline the model holds back until the test lets it go. */
const HELD = 'Owls'
let letGo: () => void = () => {}
const held = new Promise<void>((resolve) => {
  letGo = resolve
})
/** The scripted model, but the outline of `HELD` waits for `letGo`. */
async function holdingModel(request: StubRequest) {
  if (isOutline(request) && promptOf(request).includes(HELD)) await held
  return scriptedModel(request)
}

describe.skipIf(!hasChromium)('accessibility', () => {
  const e2e = useE2e({ model: holdingModel, tokenDelayMs: 2 })
  beforeEach(async () => {
    page = await e2e.open()
  })

  it('has no axe-core violations: start page, writing, polishing, finished, failed', async () => {
    await page.goto(e2e.origin)
    await page.getByRole('heading', { name: 'Recent articles' }).waitFor()
    await page
      .getByText(/None yet|Loading/)
      .or(page.getByTestId('recent-jobs'))
      .waitFor()
    await expectNoViolations(page, 'the start page')

    await startJob(page, e2e.origin, TOPICS.writing)
    await page.locator('[data-testid="live-section"][data-index="1"] p').waitFor()
    await expectNoViolations(page, 'a job being written')

    await startJob(page, e2e.origin, TOPICS.polishing)
    await page
      .locator('.article-section[data-state="polishing"] [data-testid="live-polished"] p')
      .first()
      .waitFor()
    await expectNoViolations(page, 'a job being polished')

    await startJob(page, e2e.origin, 'Bees')
    await page.getByTestId('article').waitFor({ timeout: 20_000 })
    await expectNoViolations(page, 'a finished job')

    await startJob(page, e2e.origin, TOPICS.failing)
    await page.getByTestId('job-error').waitFor({ timeout: 20_000 })
    await expectNoViolations(page, 'a failed job')

    // With jobs in every state listed on it.
    await page.goto(e2e.origin)
    await page.getByTestId('recent-jobs').waitFor()
    await expectNoViolations(page, 'the start page with recent jobs')
  }, 90_000)

  it('works by keyboard alone, with focus where the page changed', async () => {
    await page.goto(e2e.origin)
    await page.getByRole('textbox', { name: 'Topic' }).waitFor()
    await page.keyboard.press('Tab')
    expect(await focused()).toMatchObject({ tag: 'a', text: 'Skip to content' })
    await page.keyboard.press('Enter')
    await page.keyboard.press('Tab')
    expect(await focused()).toMatchObject({ tag: 'input', id: 'topic' })
    await page.keyboard.type(TOPICS.writing)
    await page.keyboard.press('Enter')
    // A new page: focus on its heading, so a screen reader starts there.
    await page.waitForURL(/#\/jobs\//)
    await expect.poll(focused).toMatchObject({ tag: 'h1', id: 'page-title' })
    await page.keyboard.press('Tab')
    expect(await focused()).toMatchObject({ tag: 'button', text: 'Cancel' })
    await page.keyboard.press('Enter')
    // The Cancel button goes with the job: focus moves to what took its place.
    await page.locator('[data-testid="job"][data-status="cancelled"]').waitFor()
    await expect.poll(focused).toMatchObject({ tag: 'button', text: 'Try again' })
    await page.keyboard.press('Tab')
    expect(await focused()).toMatchObject({ tag: 'a', text: 'New article' })
    await page.keyboard.press('Enter')
    await expect.poll(focused).toMatchObject({ tag: 'h1', text: 'Write an article' })
  }, 30_000)

  it('announces progress politely, a few times per job, not once per token', async () => {
    await page.addInitScript(() => {
      const said: string[] = []
      Object.assign(window, { said })
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="activity"]')?.textContent ?? ''
        if (text && text !== said.at(-1)) said.push(text)
      }).observe(document, { subtree: true, childList: true, characterData: true })
    })
    await startJob(page, e2e.origin, HELD)
    // The job page loads on demand: the model writes only once its live region is there and
    // the page follows the stream, so every announcement is made where the observer sees it.
    const region = page.getByTestId('activity')
    await region.waitFor()
    await waitForSeqAbove(page, 0)
    letGo()
    await page.getByTestId('article').waitFor({ timeout: 20_000 })
    expect(await region.getAttribute('aria-live')).toBe('polite')
    const said = await page.evaluate(() => (window as unknown as { said: string[] }).said)
    // Steps, sections and polished sections: a dozen or so lines for three sections (fewer
    // when events arrive together), where the article itself changed with every token.
    expect(said.some((line) => line.startsWith('Writing “'))).toBe(true)
    expect(said.some((line) => /^Polishing the style: \d of 3 sections done/.test(line))).toBe(true)
    expect(said.length).toBeLessThan(20)
    expect(said.at(-1)).toBe('Finished')
  }, 30_000)
})

describe.skipIf(!hasChromium)('accessibility with the demo model (its banner shown)', () => {
  const demo = useE2e({ settings: { DEMO_TOKEN_DELAY_MS: '0' } })

  it('has no axe-core violations on the start page and a finished job', async () => {
    page = await demo.open({ width: 375, height: 812 })
    await page.goto(demo.origin)
    await page.getByRole('note').waitFor()
    await expectNoViolations(page, 'the start page, demo')
    await startJob(page, demo.origin, 'Tea')
    await page.getByTestId('article').waitFor({ timeout: 20_000 })
    await expectNoViolations(page, 'a finished job, demo')
  }, 60_000)
})
