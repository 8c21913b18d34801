import { defaultReply, isRevision, type ReplyScript } from '@inkflow/llm-stub'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { spawnApi } from './helpers/api-process.js'
import { axeViolations } from './helpers/axe.js'
import { hasChromium } from './helpers/browser.js'
import { normalizeText, startJob } from './helpers/page-helpers.js'
import { useE2e } from './helpers/use-e2e.js'

/** axe-core's verdict on the page as it is now, in the light and in the dark scheme. */
async function expectNoViolations(page: Page, what: string) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    expect(await axeViolations(page), `${what}, ${colorScheme}`).toEqual([])
  }
  await page.emulateMedia({ colorScheme: null })
}

const jobId = (page: Page) => decodeURIComponent(page.url().split('#/jobs/')[1] ?? '')

/** Each section's rendered text, by index, once the finished article is on the page. */
async function sectionTexts(page: Page): Promise<string[]> {
  await page.getByTestId('article').waitFor({ timeout: 30_000 })
  const sections = page.locator(
    '[data-testid="article"] .article-section [data-testid="live-polished"]',
  )
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[data-testid="article"] .prose')].every((el) =>
      el.querySelector('.md-open'),
    ),
  )
  return (await sections.allTextContents()).map(normalizeText)
}

describe.skipIf(!hasChromium)(
  'the second draft: revising a section, its versions, its link',
  () => {
    // The demo model, paced so a rewrite takes long enough to be seen streaming.
    const e2e = useE2e({ settings: { DEMO_TOKEN_DELAY_MS: '15' } })

    it('the owner revises a section, watches it stream in place, and walks the versions; a shared v1 stays v1, read-only', async () => {
      const owner = await e2e.open()
      const v1 = await startJob(owner, e2e.origin, 'Tea gardens')
      const before = await sectionTexts(owner)
      expect(before.length).toBeGreaterThanOrEqual(3)
      // The finished page says what it cost and how long the server keeps it.
      await expect.poll(() => owner.getByTestId('usage').textContent()).toMatch(/^[\d,]+ tokens/)
      expect(await owner.getByTestId('expires').textContent()).toMatch(
        /^Kept on the server until \d{1,2} \w+( \d{4})?, and in this browser\.$/,
      )
      await expectNoViolations(owner, 'a finished article with its particulars')

      // One control per section, clearly labelled; the second section is revised.
      const controls = owner.getByRole('button', { name: /^Revise this section/ })
      expect(await controls.count()).toBe(before.length)
      await controls.nth(1).click()
      const instruction = owner.getByRole('textbox', { name: /^How should “.+” change\?$/ })
      await instruction.fill('shorter, with one example')
      await expectNoViolations(owner, 'the revise form')
      await owner.getByRole('button', { name: 'Revise', exact: true }).click()
      await owner.waitForURL((url) => !url.hash.endsWith(v1), { timeout: 10_000 })
      const v2 = jobId(owner)
      expect(v2).not.toBe(v1)

      // The rewrite streams in place: the previous text stays readable until it is replaced.
      const previous = owner.getByTestId('previous-text')
      await previous.waitFor({ timeout: 15_000 })
      expect(normalizeText((await previous.textContent()) ?? '')).toContain(before[1]!.slice(0, 40))
      await expectNoViolations(owner, 'a section being rewritten')
      const after = await sectionTexts(owner)
      expect(await previous.count()).toBe(0)
      expect(after.length).toBe(before.length)
      expect(after[1]).not.toBe(before[1])
      expect(after.filter((_, i) => i !== 1)).toEqual(before.filter((_, i) => i !== 1))
      expect(await owner.getByTestId('revision-note').textContent()).toContain(
        'shorter, with one example',
      )

      // The versions: v2 shown, v1 one click away, and back.
      const versions = owner.getByRole('navigation', { name: 'Versions' })
      await versions.waitFor()
      expect(await versions.getByRole('link').allTextContents()).toEqual(['v1', 'v2'])
      expect(await versions.locator('[aria-current="page"]').textContent()).toBe('v2')
      await expectNoViolations(owner, 'a revised article with its versions')
      await versions.getByRole('link', { name: 'v1', exact: true }).click()
      // The new URL comes first; the version's text follows once its job is loaded.
      await owner.waitForURL((url) => url.hash.endsWith(v1))
      await expect.poll(() => sectionTexts(owner), { timeout: 10_000 }).toEqual(before)
      await owner
        .getByRole('navigation', { name: 'Versions' })
        .getByRole('link', { name: 'v2', exact: true })
        .click()
      await owner.waitForURL((url) => url.hash.endsWith(v2))
      await expect.poll(() => sectionTexts(owner), { timeout: 10_000 }).toEqual(after)

      // A friend given the link to v1 reads v1, and cannot revise it.
      const friend = await e2e.open()
      await friend.goto(`${e2e.origin}/#/jobs/${encodeURIComponent(v1)}`)
      expect(await sectionTexts(friend)).toEqual(before)
      expect(jobId(friend)).toBe(v1)
      expect(await friend.getByRole('button', { name: /^Revise this section/ }).count()).toBe(0)
      // Given v2's, they walk back to v1 (this browser knows of no later version).
      await friend.goto(`${e2e.origin}/#/jobs/${encodeURIComponent(v2)}`)
      expect(await sectionTexts(friend)).toEqual(after)
      const theirs = friend.getByRole('navigation', { name: 'Versions' })
      await theirs.waitFor()
      expect(await theirs.getByRole('link').allTextContents()).toEqual(['v1', 'v2'])
      expect(await friend.getByRole('button', { name: /^Revise this section/ }).count()).toBe(0)
      expect(await friend.getByTestId('expires').textContent()).not.toContain('in this browser')

      // Printed, the page is the article alone.
      await owner.emulateMedia({ media: 'print' })
      expect(await owner.getByTestId('status').isVisible()).toBe(false)
      expect(await owner.getByTestId('finished-panel').isVisible()).toBe(false)
      expect(
        await owner
          .getByRole('button', { name: /^Revise this section/ })
          .first()
          .isVisible(),
      ).toBe(false)
      expect(await owner.getByTestId('article').isVisible()).toBe(true)
      await owner.emulateMedia({ media: null })

      // The server forgets both (a new API process, nothing in its memory store): the owner's
      // browser still has them, and its history says so.
      const fresh = await spawnApi({ CORS_ORIGINS: e2e.origin })
      try {
        e2e.useApi(fresh.baseUrl)
        await owner.goto(e2e.origin)
        await owner.reload()
        const kept = owner.getByTestId('kept-in-browser')
        await expect.poll(() => kept.count(), { timeout: 10_000 }).toBe(2)
        await expectNoViolations(owner, 'recent articles kept in this browser')
        await owner.getByRole('link', { name: /tea/i }).first().click()
        await owner.getByTestId('kept-only').waitFor()
        expect(await sectionTexts(owner)).toEqual(after)
        expect(await owner.getByRole('button', { name: /^Revise this section/ }).count()).toBe(0)
        const keptVersions = owner.getByRole('navigation', { name: 'Versions' })
        await keptVersions.waitFor()
        expect(await keptVersions.getByRole('link').allTextContents()).toEqual(['v1', 'v2'])
        await expectNoViolations(owner, 'an article kept in this browser')
      } finally {
        e2e.useApi(e2e.apiBaseUrl)
        await fresh.stop()
      }
    }, 120_000)
  },
)

/** The stub's writer, but the first revision call is refused (a 401 fails a job at once). */
function firstRevisionRefused(): ReplyScript {
  let refused = false
  return (request) => {
    if (!isRevision(request) || refused) return { text: defaultReply(request.body.messages) }
    refused = true
    return { status: 401 }
  }
}

describe.skipIf(!hasChromium)('a revision that failed', () => {
  const e2e = useE2e({ model: firstRevisionRefused() })

  it('is asked again of the version it revises by "Try again"', async () => {
    const owner = await e2e.open()
    const v1 = await startJob(owner, e2e.origin, 'Kettles')
    await sectionTexts(owner)
    await owner
      .getByRole('button', { name: /^Revise this section/ })
      .nth(2)
      .click()
    await owner.getByRole('textbox', { name: /^How should/ }).fill('add an example about Venice')
    await owner.getByRole('button', { name: 'Revise', exact: true }).click()
    await owner.getByTestId('job-error').waitFor({ timeout: 20_000 })
    const failed = jobId(owner)
    await owner.getByRole('button', { name: 'Try again' }).click()
    await owner.waitForURL((url) => !url.hash.endsWith(failed))
    await sectionTexts(owner)
    const retried = await e2e.getJob(jobId(owner))
    expect(retried.revisionOf).toEqual({
      jobId: v1,
      section: 2,
      instruction: 'add an example about Venice',
    })
    const versions = owner.getByRole('navigation', { name: 'Versions' })
    await versions.waitFor()
    expect(await versions.getByRole('link').allTextContents()).toEqual(['v1', 'v2'])
  }, 60_000)
})
