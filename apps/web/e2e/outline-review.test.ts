import { defaultReply, type LlmStub, type ReplyScript, startLlmStub } from '@inkflow/llm-stub'
import { JobSchema } from '@inkflow/shared'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations } from './helpers/axe.js'
import { hasChromium, launchChromium } from './helpers/browser.js'
import { type Environment, startEnvironment } from './helpers/environment.js'
import { expectLiveTextMatchesServer } from './helpers/expect-live-text.js'
import { readAllEvents } from './helpers/job-events.js'
import { snapshot } from './helpers/page-helpers.js'

const TOPIC = 'The history of tea'
const PROPOSED = ['Origins', 'The tea trade', 'How tea is made', 'Tea today', 'Why it matters']

/** The stub's default writer, with a five-section outline: one to remove, four to write. */
const reviewModel: ReplyScript = ({ body }) => {
  const prompt = body.messages.at(-1)?.content ?? ''
  if (!prompt.includes('YAML')) return { text: defaultReply(body.messages) }
  const sections = PROPOSED.map((s) => `  - "${s}"`).join('\n')
  return { text: `title: "All about ${TOPIC}"\nsections:\n${sections}\n` }
}

let stub: LlmStub
let env: Environment
let browser: Browser
const contexts: BrowserContext[] = []
let pageErrors: string[] = []

async function open(width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } })
  contexts.push(context)
  const page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error.message))
  return page
}

/** axe-core's verdict on the page as it is now, in the light and in the dark scheme. */
async function expectNoViolations(page: Page, what: string) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    expect(await axeViolations(page), `${what}, ${colorScheme}`).toEqual([])
  }
}

/** Every request the page makes to the API: method, path, Authorization and body. */
function recordApiCalls(page: Page) {
  const calls: { call: string; authorization?: string; body?: unknown }[] = []
  page.on('request', (request) => {
    if (!request.url().startsWith(env.api.baseUrl)) return
    const data = request.postData()
    calls.push({
      call: `${request.method()} ${request.url().slice(env.api.baseUrl.length)}`,
      authorization: request.headers().authorization,
      body: data ? JSON.parse(data) : undefined,
    })
  })
  return calls
}

const jobIdOf = (page: Page) => decodeURIComponent(page.url().split('#/jobs/')[1] ?? '')
const getJob = async (id: string) =>
  JobSchema.parse(await (await fetch(`${env.api.baseUrl}/api/jobs/${id}`)).json())
const articleHeadings = (page: Page) =>
  page.getByTestId('article').locator('.article-section h3').allTextContents()
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement
    return {
      tag: el?.tagName.toLowerCase(),
      id: el?.id,
      label: el?.getAttribute('aria-label') ?? el?.textContent?.trim(),
    }
  })

/** Presses Tab until `match` holds for the focused element (at most `limit` times). */
async function tabTo(page: Page, match: (f: Awaited<ReturnType<typeof focused>>) => boolean) {
  for (let i = 0; i < 25; i++) {
    if (match(await focused(page))) return
    await page.keyboard.press('Tab')
  }
  throw new Error(
    `Tab never reached the element; focus is on ${JSON.stringify(await focused(page))}`,
  )
}

/** Starts `topic` with "let me review the outline first" and waits for the editor. */
async function startReviewedJob(page: Page, origin: string, topic: string) {
  await page.goto(origin)
  await page.locator('summary', { hasText: 'Options' }).click()
  await page.getByRole('checkbox', { name: 'Let me review the outline first' }).check()
  await page.getByRole('textbox', { name: 'Topic' }).fill(topic)
  await page.getByRole('button', { name: 'Generate' }).click()
  await page.getByTestId('outline-editor').waitFor({ timeout: 20_000 })
}

describe.skipIf(!hasChromium)('the outline review, in two browsers', () => {
  beforeAll(async () => {
    stub = await startLlmStub({ reply: reviewModel, tokenDelayMs: 2 })
    env = await startEnvironment({
      LLM_PROVIDER: 'openai',
      OPENAI_API_KEY: 'x',
      OPENAI_BASE_URL: stub.url,
    })
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await env?.close()
    await stub?.close()
  })

  it('the owner edits and approves the outline; a reader of the link waits, then sees it written', async () => {
    pageErrors = []
    const owner = await open(1280)
    const calls = recordApiCalls(owner)
    await owner.goto(env.spa.origin)
    await owner.locator('summary', { hasText: 'Options' }).click()
    await owner.getByRole('radio', { name: 'Playful' }).check()
    await owner.getByRole('radio', { name: 'Short' }).check()
    await owner.getByRole('textbox', { name: 'Audience' }).fill('beginners')
    await owner.getByRole('checkbox', { name: 'Let me review the outline first' }).check()
    await owner.getByRole('textbox', { name: 'Topic' }).fill(TOPIC)
    await expectNoViolations(owner, 'the start form, its options open')
    await owner.getByRole('button', { name: 'Generate' }).click()
    await owner.waitForURL(/#\/jobs\/[^/]+$/, { timeout: 10_000 })
    const id = jobIdOf(owner)
    expect(calls.find((c) => c.call === 'POST /api/jobs')?.body).toEqual({
      topic: TOPIC,
      tone: 'playful',
      length: 'short',
      audience: 'beginners',
      language: 'en',
      reviewOutline: true,
    })

    // The job stops after its outline: its owner gets the editor, with the proposal in it.
    const editor = owner.getByTestId('outline-editor')
    await editor.waitFor({ timeout: 20_000 })
    await owner.locator('[data-testid="job"][data-status="waiting"]').waitFor()
    const sectionInputs = editor.getByRole('textbox', { name: /^Section \d$/ })
    expect(await sectionInputs.count()).toBe(PROPOSED.length)
    expect(await editor.getByRole('textbox', { name: 'Article title' }).inputValue()).toBe(
      `All about ${TOPIC}`,
    )
    expect(await editor.textContent()).toMatch(/The review is open until .+ \(in 2\d hours\)/)
    expect(await owner.getByRole('button', { name: 'Cancel' }).count()).toBe(1)
    await expectNoViolations(owner, 'the outline editor')

    // A friend given the link sees the proposal, read-only, and waits for the author.
    const friend = await open(375)
    await friend.goto(owner.url())
    const proposal = friend.getByTestId('outline')
    await proposal.getByText('Waiting for the author to approve the outline').waitFor()
    expect(await proposal.locator('.section-title').allTextContents()).toEqual(PROPOSED)
    expect(await friend.getByTestId('outline-editor').count()).toBe(0)
    expect(await friend.getByRole('textbox').count()).toBe(0)
    expect(await friend.getByRole('button').count()).toBe(0)
    await expectNoViolations(friend, 'the proposal, read-only')

    // The owner renames a section, removes another and edits the title.
    await editor.getByRole('textbox', { name: 'Article title' }).fill('  Tea, from leaf to cup ')
    await editor.getByRole('textbox', { name: 'Section 2' }).fill('Trade routes')
    await editor.getByRole('button', { name: 'Remove section 4' }).click()
    const approved = ['Origins', 'Trade routes', 'How tea is made', 'Why it matters']

    // A refused PUT, or none at all, is said plainly, and the edits stay.
    const put = `${env.api.baseUrl}/api/jobs/${id}/outline`
    await owner.route(put, (route) =>
      route.fulfill({
        status: 409,
        contentType: 'application/problem+json',
        headers: { 'access-control-allow-origin': env.spa.origin },
        body: JSON.stringify({ type: 'about:blank', title: 'Conflict', status: 409 }),
      }),
    )
    await editor.getByRole('button', { name: 'Write it' }).click()
    await expect
      .poll(() => editor.getByRole('alert').textContent())
      .toMatch(/can no longer be approved/)
    await owner.unroute(put)
    await owner.route(put, (route) => route.abort('connectionrefused'))
    await editor.getByRole('button', { name: 'Write it' }).click()
    await expect.poll(() => editor.getByRole('alert').textContent()).toMatch(/cannot reach/)
    await owner.unroute(put)
    expect(
      await sectionInputs.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)),
    ).toEqual(approved)

    await editor.getByRole('button', { name: 'Write it' }).click()
    await owner.getByTestId('article').waitFor({ timeout: 30_000 })
    const puts = calls.filter((c) => c.call === `PUT /api/jobs/${id}/outline`)
    expect(puts.at(-1)).toEqual({
      call: `PUT /api/jobs/${id}/outline`,
      authorization: expect.stringMatching(/^Bearer [\w-]{22,}$/),
      body: { title: 'Tea, from leaf to cup', sections: approved },
    })

    // Both pages: the approved outline took the proposal's place, and the article is it.
    for (const page of [owner, friend]) {
      await page.getByTestId('article').waitFor({ timeout: 30_000 })
      const outline = page.getByTestId('outline')
      expect(await outline.locator('.section-title').allTextContents()).toEqual(approved)
      expect(await outline.getByRole('heading').textContent()).toBe(
        'Outline: Tea, from leaf to cup',
      )
      expect(await outline.textContent()).toContain('Approved with changes by the author.')
      expect(await page.locator('#article-title').textContent()).toBe('Tea, from leaf to cup')
      expect(await articleHeadings(page)).toEqual(approved)
    }
    // …and what the friend's page shows is what the log folds into.
    await expectLiveTextMatchesServer(env.api.baseUrl, id, await snapshot(friend))

    const job = await getJob(id)
    expect(job.options).toEqual({
      tone: 'playful',
      length: 'short',
      audience: 'beginners',
      language: 'en',
      reviewOutline: true,
    })
    expect(job.article?.title).toBe('Tea, from leaf to cup')
    expect(job.article?.sections.map((s) => s.title)).toEqual(approved)
    const events = await readAllEvents(env.api.baseUrl, id)
    expect(events.find((e) => e.type === 'outline.approved')).toMatchObject({
      title: 'Tea, from leaf to cup',
      sections: approved,
      edited: true,
    })
    const written = events.flatMap((e) => (e.type === 'section.started' ? [e.title] : []))
    expect(written).toEqual(approved)
    // The options reached the model.
    expect(stub.requests.some((r) => JSON.stringify(r.body.messages).includes('beginners'))).toBe(
      true,
    )
    expect(pageErrors).toEqual([])
  }, 90_000)

  it('cancels a waiting job from the editor once confirmed, focus moving to "Try again"', async () => {
    pageErrors = []
    const page = await open(1280)
    await startReviewedJob(page, env.spa.origin, 'Cancel me while I wait')
    const editor = page.getByTestId('outline-editor')
    await editor.getByRole('button', { name: 'Cancel the article' }).focus()
    await page.keyboard.press('Enter')
    // It asks first, focus on the way back; going back leaves the job waiting.
    await expect.poll(() => focused(page)).toMatchObject({ label: 'Keep editing' })
    await page.keyboard.press('Enter')
    await expect.poll(() => focused(page)).toMatchObject({ label: 'Cancel the article…' })
    expect((await getJob(jobIdOf(page))).status).toBe('waiting')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Shift+Tab')
    expect(await focused(page)).toMatchObject({ label: 'Yes, cancel the article' })
    await page.keyboard.press('Enter')
    await page.locator('[data-testid="job"][data-status="cancelled"]').waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('outline-editor').count()).toBe(0)
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'button', label: 'Try again' })
    expect(pageErrors).toEqual([])
  }, 30_000)

  it('works by keyboard alone: Tab, Enter and Space, from the options to "Write it"', async () => {
    pageErrors = []
    const page = await open(1280)
    await page.goto(env.spa.origin)
    const topic = page.getByRole('textbox', { name: 'Topic' })
    await topic.waitFor()
    await tabTo(page, (f) => f.id === 'topic')
    await page.keyboard.type(TOPIC)
    await tabTo(page, (f) => f.tag === 'summary')
    await page.keyboard.press('Enter')
    await page.getByRole('checkbox', { name: 'Let me review the outline first' }).waitFor()
    await tabTo(page, (f) => f.id === 'review-outline')
    await page.keyboard.press('Space')
    await page.keyboard.press('Shift+Tab')
    expect(await focused(page)).toMatchObject({ id: 'language' })
    await page.keyboard.press('Shift+Tab')
    expect(await focused(page)).toMatchObject({ id: 'audience' })
    await page.keyboard.press('Enter')
    await page.waitForURL(/#\/jobs\//)

    await page.getByTestId('outline-editor').waitFor({ timeout: 20_000 })
    await tabTo(page, (f) => f.id === 'review-article-title')
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.type('Tea by keyboard')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    expect(await focused(page)).toMatchObject({ label: 'Move section 1 up' })
    await page.keyboard.press('Tab')
    expect(await focused(page)).toMatchObject({ label: 'Move section 1 down' })
    await page.keyboard.press('Enter')
    // The section moved, and the focus with it.
    await expect.poll(() => focused(page)).toMatchObject({ label: 'Move section 2 down' })
    await page.keyboard.press('Tab')
    expect(await focused(page)).toMatchObject({ label: 'Remove section 2' })
    await page.keyboard.press('Space')
    // The next section took its place, and its title has the focus.
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'input', label: '' })
    const kept = ['The tea trade', 'How tea is made', 'Tea today', 'Why it matters']
    const inputs = page.getByRole('textbox', { name: /^Section \d$/ })
    expect(
      await inputs.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)),
    ).toEqual(kept)
    await tabTo(page, (f) => f.label === 'Write it')
    await page.keyboard.press('Enter')
    // The editor makes way for the approved outline, which takes the focus.
    await expect
      .poll(() => focused(page), { timeout: 10_000 })
      .toMatchObject({ id: 'outline-title' })
    await page.getByTestId('article').waitFor({ timeout: 30_000 })
    expect(await page.locator('#article-title').textContent()).toBe('Tea by keyboard')
    expect(await articleHeadings(page)).toEqual(kept)
    expect(pageErrors).toEqual([])
  }, 60_000)
})

describe.skipIf(!hasChromium)('an outline review nobody approves', () => {
  let shortEnv: Environment
  beforeAll(async () => {
    shortEnv = await startEnvironment({ DEMO_TOKEN_DELAY_MS: '0', REVIEW_TIMEOUT: '3000' })
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await shortEnv?.close()
  })

  it('ends when the review expires, and the page says why', async () => {
    pageErrors = []
    const page = await open(375)
    await startReviewedJob(page, shortEnv.spa.origin, 'Nobody will approve this')
    expect(await page.getByTestId('outline-editor').textContent()).toMatch(
      /\((any moment now|expired)\)/,
    )
    await page.locator('[data-testid="job"][data-status="cancelled"]').waitFor({ timeout: 15_000 })
    expect(await page.getByTestId('outline-editor').count()).toBe(0)
    const said = await page.getByRole('status').allTextContents()
    expect(said.map((text) => text.trim())).toContain(
      'This job was cancelled: its outline was not approved in time.',
    )
    expect(pageErrors).toEqual([])
  }, 30_000)
})
