import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { articleFileName } from '../src/lib/markdown/download.js'
import { expectNoViolations } from './helpers/axe.js'
import { hasChromium } from './helpers/browser.js'
import { jobIdOf, startJob, startReviewedJob } from './helpers/page-helpers.js'
import { useE2e } from './helpers/use-e2e.js'

/**
 * Where the paragraph being written is: `seen` when its box meets the part of the window
 * below the (sticky) status card; `none` when no paragraph is being written right now.
 */
const livePlace = (page: Page) =>
  page.evaluate(() => {
    const all = document.querySelectorAll('[data-testid="live"] .prose.streaming')
    const live = all[all.length - 1]
    if (!live) return 'none'
    const r = live.getBoundingClientRect()
    const status = document.querySelector('[data-testid="status"]')?.getBoundingClientRect()
    const top = status && status.top <= 0 ? status.bottom : 0
    return r.bottom > top && r.top < innerHeight ? 'seen' : 'hidden'
  })

const stepActive = (page: Page, step: 'content' | 'style') =>
  page
    .locator(`[data-step="${step}"]`)
    .getAttribute('data-state')
    .then((s) => s === 'active')

/** Where the live paragraph is, every quarter second while `step` lasts (16 looks at most). */
async function samplePlaces(page: Page, step: 'content' | 'style') {
  const places: string[] = []
  for (let i = 0; i < 16 && (await stepActive(page, step)); i++) {
    places.push(await livePlace(page))
    await page.waitForTimeout(250)
  }
  return places
}

/** The live paragraph was on screen in most looks (at least `least` of them with one). */
function expectMostlySeen(places: string[], least: number) {
  const sampled = places.filter((p) => p !== 'none')
  expect(sampled.length, places.join(' ')).toBeGreaterThanOrEqual(least)
  const seen = sampled.filter((p) => p === 'seen').length
  expect(seen / sampled.length, places.join(' ')).toBeGreaterThan(0.75)
}

const sectionValues = (page: Page) =>
  page
    .getByRole('textbox', { name: /^Section \d$/ })
    .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))

describe.skipIf(!hasChromium)('written live, in view (the demo model at its default pace)', () => {
  const e2e = useE2e()

  for (const [width, height] of [
    [1280, 800],
    [375, 740],
  ] as const) {
    it(`keeps the paragraph being written on screen at ${width}×${height}, until the reader scrolls away`, async () => {
      const page = await e2e.open({ width, height, clipboard: true })
      await startJob(page, e2e.origin, 'The history of tea')
      await page.locator('[data-step="content"][data-state="active"]').waitFor({ timeout: 20_000 })
      await page.locator('[data-testid="live"] .prose.streaming p').waitFor({ timeout: 10_000 })
      // The outline folds to one line while the text is written; the status stays on top.
      expect(await page.getByRole('button', { name: 'Show outline' }).isVisible()).toBe(true)
      await expectNoViolations(page, `writing at ${width}`)

      expectMostlySeen(await samplePlaces(page, 'content'), 8)

      // The reader scrolls back up once the text being written is far below the top:
      // the page stays where the reader put it and offers the way back.
      await page.waitForFunction(
        () => {
          const all = document.querySelectorAll('[data-testid="live"] .prose.streaming')
          const live = all[all.length - 1]
          return live && live.getBoundingClientRect().top + scrollY > innerHeight + 100
        },
        undefined,
        { timeout: 30_000 },
      )
      await page.mouse.move(width / 2, height / 2)
      await page.mouse.wheel(0, -20_000)
      const jump = page.getByTestId('jump-to-live')
      await jump.waitFor({ timeout: 5000 })
      // Where the reader's wheel left the page: near the top (the wheel is animated, and some
      // runs end a line short of 0), the live text out of view.
      const settled = async () => {
        const y = await page.evaluate(() => scrollY)
        await page.waitForTimeout(250)
        return (await page.evaluate(() => scrollY)) === y ? y : Number.NaN
      }
      await expect.poll(settled, { timeout: 5000 }).toBeLessThan(height / 2)
      const left = await page.evaluate(() => scrollY)
      await page.waitForTimeout(500) // text keeps arriving: the page must not move with it
      expect(await page.evaluate(() => scrollY)).toBe(left)
      expect(await livePlace(page)).toBe('hidden')
      await expectNoViolations(page, `the jump control at ${width}`)
      await jump.click()
      await expect.poll(() => livePlace(page)).not.toBe('hidden')

      // Polishing starts again at the top: the page goes back up with it, and follows it.
      await page.locator('[data-step="style"][data-state="active"]').waitFor({ timeout: 60_000 })
      await page.locator('[data-testid="live-polished"].streaming').first().waitFor()
      expectMostlySeen(await samplePlaces(page, 'style'), 6)
      await expectNoViolations(page, `polishing at ${width}`)
      await page.getByTestId('article').waitFor({ timeout: 60_000 })
    }, 120_000)
  }

  it('cancelled half-way: nothing says writing, the state is said once, the text can be copied', async () => {
    const page = await e2e.open({ width: 375, height: 740, clipboard: true })
    await startJob(page, e2e.origin, 'Tea ceremonies')
    await page
      .locator('[data-testid="live-section"][data-index="1"] p')
      .waitFor({ timeout: 30_000 })
    await page.getByRole('button', { name: 'Cancel', exact: true }).click()
    await page.locator('[data-testid="job"][data-status="cancelled"]').waitFor({ timeout: 10_000 })

    const job = page.getByTestId('job')
    expect(await job.locator('[data-state="writing"], [data-state="active"]').count()).toBe(0)
    await page.getByRole('button', { name: 'Show outline' }).click()
    expect(await page.getByTestId('outline').textContent()).not.toMatch(/writing/)
    expect(await page.getByTestId('outline').textContent()).toMatch(/stopped/)
    expect((await job.textContent())?.match(/cancelled/gi)).toHaveLength(1)
    await expectNoViolations(page, 'a cancelled job with its partial text')

    const partial = page.getByTestId('partial-actions')
    await partial.getByRole('button', { name: 'Copy', exact: true }).click()
    // The copy is written once the lazily loaded renderer has made the HTML: wait for it.
    const clipTypes = () =>
      page.evaluate(async () => (await navigator.clipboard.read())[0]?.types.join(' ') ?? '')
    await expect.poll(clipTypes, { timeout: 5000 }).toContain('text/html')
    const clip = await page.evaluate(async () => {
      const [item] = await navigator.clipboard.read()
      if (!item) return null
      const text = async (type: string) => (await item.getType(type)).text()
      return { types: item.types, plain: await text('text/plain'), html: await text('text/html') }
    })
    expect(clip?.types).toEqual(expect.arrayContaining(['text/plain', 'text/html']))
    const { sections } = await e2e.getJob(jobIdOf(page)).then((j) => j.outline ?? { sections: [] })
    expect(clip?.plain).toMatch(/^# .+\n\n## /)
    expect(clip?.plain).toContain(`## ${sections[0]}`)
    expect(clip?.html).toContain(`<h3>${sections[0]}</h3>`)
    expect(clip?.html).not.toMatch(/(^|>)\s*#/)
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      partial.getByRole('button', { name: 'Download .md' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/\.md$/)
  }, 90_000)

  it('the outline editor keeps work: Enter never approves, a reload keeps edits, "Try again" offers them', async () => {
    const page = await e2e.open({ width: 375, height: 740, clipboard: true })
    await startReviewedJob(page, e2e.origin, 'Sourdough bread')
    const id = jobIdOf(page)
    const editor = page.getByTestId('outline-editor')
    const proposed = await sectionValues(page)

    // Enter, by habit, in each kind of field: it moves on, never approves.
    const second = editor.getByRole('textbox', { name: 'Section 2' })
    await second.fill('My own section')
    await second.press('Enter')
    expect(
      await page.evaluate(
        () => document.activeElement?.getAttribute('aria-labelledby') ?? document.activeElement?.id,
      ),
    ).toMatch(/^section-/)
    await editor.getByRole('textbox', { name: 'Article title' }).press('Enter')
    const last = editor.getByRole('textbox', { name: `Section ${proposed.length}` })
    await last.press('Enter')
    await expect.poll(() => sectionValues(page).then((v) => v.length)).toBe(proposed.length + 1)
    await page.keyboard.type('Baking at home')
    await page.waitForTimeout(1000) // an approval, had Enter sent one, would have landed by now
    expect((await e2e.getJob(id)).status).toBe('waiting')
    expect(await page.getByTestId('job').getAttribute('data-status')).toBe('waiting')
    const edited = await sectionValues(page)
    expect(edited[1]).toBe('My own section')
    expect(edited.at(-1)).toBe('Baking at home')

    // A reload keeps every edit, and says so.
    await page.reload()
    await editor.waitFor({ timeout: 10_000 })
    expect(await sectionValues(page)).toEqual(edited)
    await page.getByTestId('draft-restored').waitFor()
    await expectNoViolations(page, 'the outline editor with restored edits')

    // Cancelling the article asks first.
    await editor.getByRole('button', { name: 'Cancel the article' }).click()
    await editor.getByRole('button', { name: 'Keep editing' }).waitFor()
    await expectNoViolations(page, 'the cancel confirmation')
    expect((await e2e.getJob(id)).status).toBe('waiting')
    await editor.getByRole('button', { name: 'Yes, cancel the article' }).click()
    await page.locator('[data-testid="job"][data-status="cancelled"]').waitFor({ timeout: 10_000 })

    // "Try again": a new job, whose review starts from the writer's edits.
    await page.getByRole('button', { name: 'Try again' }).click()
    await page.waitForURL((url) => !url.hash.includes(id))
    await editor.waitFor({ timeout: 20_000 })
    expect(await sectionValues(page)).toEqual(edited)
    await editor.getByRole('button', { name: 'Write it' }).click()
    await page.locator('[data-testid="job"][data-status="running"]').waitFor({ timeout: 10_000 })
    const retry = jobIdOf(page)
    expect((await e2e.getJob(retry)).outline?.sections).toEqual(edited)
    // Approved: nothing of it is kept any more.
    expect(
      await page.evaluate(() =>
        Object.keys(localStorage).filter((k) => k.includes('outline-draft')),
      ),
    ).toEqual([])
  }, 90_000)

  it('finding and sharing: the tab title, Copy link, options, the history by title', async () => {
    const page = await e2e.open({ width: 1280, height: 800, clipboard: true })
    await page.goto(e2e.origin)
    expect(await page.title()).toBe('inkflow')
    await startJob(page, e2e.origin, 'Why cats purr')
    const id = jobIdOf(page)
    await page.getByTestId('outline').waitFor({ timeout: 20_000 })
    const { outline } = await e2e.getJob(id)
    await expect.poll(() => page.title()).toBe(`${outline?.title} · inkflow`)
    expect(await page.getByTestId('job-options').textContent()).toBe(
      'Conversational · medium length · English',
    )

    await page.getByRole('button', { name: 'Copy link' }).click()
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(page.url())

    await page.getByRole('link', { name: 'New article' }).click()
    await expect.poll(() => page.title()).toBe('inkflow')
    const row = page.getByTestId('recent-jobs').locator('li').first()
    await expect.poll(() => row.getByRole('link').textContent()).toBe(outline?.title)
    expect(await row.textContent()).toContain('Why cats purr')
    await row.getByRole('button', { name: `Remove “${outline?.title}” from this list` }).click()
    await expect.poll(() => page.getByTestId('recent-jobs').count()).toBe(0)
    await page.reload()
    await page.getByRole('heading', { name: 'Recent articles' }).waitFor()
    expect(await page.getByRole('region', { name: 'Recent articles' }).textContent()).not.toContain(
      'Why cats purr',
    )
  }, 60_000)

  it('any script: an Arabic topic reads right to left, and its file name keeps each word whole', async () => {
    const page = await e2e.open({ width: 375, height: 740, clipboard: true })
    // The demo titles it "فنّ الخطّ العربي, explained": Arabic first, so right to left.
    const topic = 'فنّ الخطّ العربي'
    await startJob(page, e2e.origin, topic)
    const heading = page.getByRole('heading', { level: 1 })
    await expect.poll(() => heading.textContent()).toBe(topic)
    expect(await heading.getAttribute('dir')).toBe('auto')
    expect(await heading.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl')
    await page.getByTestId('article').waitFor({ timeout: 90_000 })
    const title = page.locator('#article-title')
    expect(await title.getAttribute('dir')).toBe('auto')
    expect(await title.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl')
    const { article } = await e2e.getJob(jobIdOf(page))
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download .md' }).click(),
    ])
    expect(download.suggestedFilename()).toBe(articleFileName(article!.title))
    expect(download.suggestedFilename()).toContain('الخطّ')
    // A long topic keeps to a few lines on a phone.
    await startJob(page, e2e.origin, `${'A very long topic about tea '.repeat(7)}end`)
    const long = page.getByRole('heading', { level: 1 })
    await expect.poll(() => long.textContent()).toContain('end')
    const lines = await long.evaluate(
      (el) =>
        el.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(el).lineHeight),
    )
    expect(lines).toBeLessThanOrEqual(3.1)
  }, 150_000)
})
