import { type LlmStub, startLlmStub } from '@inkflow/llm-stub'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { axeViolations } from './helpers/axe.js'
import { hasChromium, launchChromium } from './helpers/browser.js'
import { type Environment, startEnvironment } from './helpers/environment.js'
import { startJob } from './helpers/page-helpers.js'
import { scriptedModel, TOPICS } from './helpers/scripted-model.js'

let stub: LlmStub
let env: Environment
let browser: Browser
let context: BrowserContext
let page: Page

/** axe-core's verdict on the page as it is now, in the light and in the dark scheme. */
async function expectNoViolations(what: string) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    expect(await axeViolations(page), `${what}, ${colorScheme}`).toEqual([])
  }
}

const focused = () =>
  page.evaluate(() => {
    const el = document.activeElement
    return { tag: el?.tagName.toLowerCase(), text: el?.textContent?.trim(), id: el?.id }
  })

describe.skipIf(!hasChromium)('accessibility', () => {
  beforeAll(async () => {
    stub = await startLlmStub({ reply: scriptedModel, tokenDelayMs: 2 })
    env = await startEnvironment({
      LLM_PROVIDER: 'openai',
      OPENAI_API_KEY: 'x',
      OPENAI_BASE_URL: stub.url,
    })
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await env?.close()
    await stub?.close()
  })
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    page = await context.newPage()
  })
  afterEach(async () => {
    await context?.close()
  })

  it('has no axe-core violations: start page, writing, polishing, finished, failed', async () => {
    await page.goto(env.spa.origin)
    await page.getByRole('heading', { name: 'Recent articles' }).waitFor()
    await page
      .getByText(/None yet|Loading/)
      .or(page.getByTestId('recent-jobs'))
      .waitFor()
    await expectNoViolations('the start page')

    await startJob(page, env.spa.origin, TOPICS.writing)
    await page.locator('[data-testid="live-section"][data-index="1"] p').waitFor()
    await expectNoViolations('a job being written')

    await startJob(page, env.spa.origin, TOPICS.polishing)
    await page
      .locator('.article-section[data-state="polishing"] [data-testid="live-polished"] p')
      .first()
      .waitFor()
    await expectNoViolations('a job being polished')

    await startJob(page, env.spa.origin, 'Bees')
    await page.getByTestId('article').waitFor({ timeout: 20_000 })
    await expectNoViolations('a finished job')

    await startJob(page, env.spa.origin, TOPICS.failing)
    await page.getByTestId('job-error').waitFor({ timeout: 20_000 })
    await expectNoViolations('a failed job')

    // With jobs in every state listed on it.
    await page.goto(env.spa.origin)
    await page.getByTestId('recent-jobs').waitFor()
    await expectNoViolations('the start page with recent jobs')
  }, 90_000)

  it('works by keyboard alone, with focus where the page changed', async () => {
    await page.goto(env.spa.origin)
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
    await startJob(page, env.spa.origin, 'Owls')
    await page.getByTestId('article').waitFor({ timeout: 20_000 })
    const region = page.getByTestId('activity')
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
  let demo: Environment
  beforeAll(async () => {
    demo = await startEnvironment({ DEMO_TOKEN_DELAY_MS: '0' })
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await demo?.close()
  })

  it('has no axe-core violations on the start page and a finished job', async () => {
    context = await browser.newContext({ viewport: { width: 375, height: 812 } })
    page = await context.newPage()
    await page.goto(demo.spa.origin)
    await page.getByRole('note').waitFor()
    await expectNoViolations('the start page, demo')
    await startJob(page, demo.spa.origin, 'Tea')
    await page.getByTestId('article').waitFor({ timeout: 20_000 })
    await expectNoViolations('a finished job, demo')
    await context.close()
  }, 60_000)
})
