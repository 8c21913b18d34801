import { isOutline, type ReplyScript } from '@inkflow/llm-stub'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { expectNoViolations } from './helpers/axe.js'
import { hasChromium } from './helpers/browser.js'
import { expectLiveTextMatchesServer } from './helpers/expect-live-text.js'
import { readAllEvents } from './helpers/job-events.js'
import { jobIdOf, recordApiCalls, snapshot, startReviewedJob } from './helpers/page-helpers.js'
import { useE2e } from './helpers/use-e2e.js'

const TOPIC = 'The history of tea'
const PROPOSED = ['Origins', 'The tea trade', 'How tea is made', 'Tea today', 'Why it matters']

/** The stub's default writer, with a five-section outline: one to remove, four to write. */
const reviewModel: ReplyScript = (request) => {
  if (!isOutline(request)) return {}
  const sections = PROPOSED.map((s) => `  - "${s}"`).join('\n')
  return { text: `title: "All about ${TOPIC}"\nsections:\n${sections}\n` }
}

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

/** Presses Tab until `match` holds for the focused element (at most 25 times). */
async function tabTo(page: Page, match: (f: Awaited<ReturnType<typeof focused>>) => boolean) {
  for (let i = 0; i < 25; i++) {
    if (match(await focused(page))) return
    await page.keyboard.press('Tab')
  }
  throw new Error(
    `Tab never reached the element; focus is on ${JSON.stringify(await focused(page))}`,
  )
}

describe.skipIf(!hasChromium)('the outline review, in two browsers', () => {
  const e2e = useE2e({ model: reviewModel, tokenDelayMs: 2 })

  it('the owner edits and approves the outline; a reader of the link waits, then sees it written', async () => {
    const owner = await e2e.open()
    const calls = recordApiCalls(owner, e2e.apiBaseUrl)
    await owner.goto(e2e.origin)
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
    const friend = await e2e.open({ width: 375 })
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
    const put = `${e2e.apiBaseUrl}/api/jobs/${id}/outline`
    await owner.route(put, (route) =>
      route.fulfill({
        status: 409,
        contentType: 'application/problem+json',
        headers: { 'access-control-allow-origin': e2e.origin },
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
    await expectLiveTextMatchesServer(e2e.apiBaseUrl, id, await snapshot(friend))

    const job = await e2e.getJob(id)
    expect(job.options).toEqual({
      tone: 'playful',
      length: 'short',
      audience: 'beginners',
      language: 'en',
      reviewOutline: true,
    })
    expect(job.article?.title).toBe('Tea, from leaf to cup')
    expect(job.article?.sections.map((s) => s.title)).toEqual(approved)
    const events = await readAllEvents(e2e.apiBaseUrl, id)
    expect(events.find((e) => e.type === 'outline.approved')).toMatchObject({
      title: 'Tea, from leaf to cup',
      sections: approved,
      edited: true,
    })
    const written = events.flatMap((e) => (e.type === 'section.started' ? [e.title] : []))
    expect(written).toEqual(approved)
    // The options reached the model.
    expect(
      e2e.stub!.requests.some((r) => JSON.stringify(r.body.messages).includes('beginners')),
    ).toBe(true)
  }, 90_000)

  it('cancels a waiting job from the editor once confirmed, focus moving to "Try again"', async () => {
    const page = await e2e.open()
    await startReviewedJob(page, e2e.origin, 'Cancel me while I wait')
    const editor = page.getByTestId('outline-editor')
    await editor.getByRole('button', { name: 'Cancel the article' }).focus()
    await page.keyboard.press('Enter')
    // It asks first, focus on the way back; going back leaves the job waiting.
    await expect.poll(() => focused(page)).toMatchObject({ label: 'Keep editing' })
    await page.keyboard.press('Enter')
    await expect.poll(() => focused(page)).toMatchObject({ label: 'Cancel the article…' })
    expect((await e2e.getJob(jobIdOf(page))).status).toBe('waiting')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Shift+Tab')
    expect(await focused(page)).toMatchObject({ label: 'Yes, cancel the article' })
    await page.keyboard.press('Enter')
    await page.locator('[data-testid="job"][data-status="cancelled"]').waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('outline-editor').count()).toBe(0)
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'button', label: 'Try again' })
  }, 30_000)

  it('works by keyboard alone: Tab, Enter and Space, from the options to "Write it"', async () => {
    const page = await e2e.open()
    await page.goto(e2e.origin)
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
  }, 60_000)
})

describe.skipIf(!hasChromium)('an outline review nobody approves', () => {
  const shortReview = useE2e({ settings: { DEMO_TOKEN_DELAY_MS: '0', REVIEW_TIMEOUT: '3000' } })

  it('ends when the review expires, and the page says why', async () => {
    const page = await shortReview.open({ width: 375 })
    await startReviewedJob(page, shortReview.origin, 'Nobody will approve this')
    expect(await page.getByTestId('outline-editor').textContent()).toMatch(
      /\((any moment now|expired)\)/,
    )
    await page.locator('[data-testid="job"][data-status="cancelled"]').waitFor({ timeout: 15_000 })
    expect(await page.getByTestId('outline-editor').count()).toBe(0)
    const said = await page.getByRole('status').allTextContents()
    expect(said.map((text) => text.trim())).toContain(
      'This job was cancelled: its outline was not approved in time.',
    )
  }, 30_000)
})
