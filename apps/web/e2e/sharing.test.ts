import { describe, expect, it } from 'vitest'
import { expectNoViolations } from './helpers/axe.js'
import { hasChromium } from './helpers/browser.js'
import { recordApiCalls, startJob, waitForSeqAbove } from './helpers/page-helpers.js'
import { scriptedModel, TOPICS } from './helpers/scripted-model.js'
import { useE2e } from './helpers/use-e2e.js'

describe.skipIf(!hasChromium)('a job shared by its link, in two browsers', () => {
  // The scripted model stops in the middle of the second section: the job stays running.
  const e2e = useE2e({ model: scriptedModel, tokenDelayMs: 5 })

  it('the owner keeps it in their history and may cancel it; the other reads it live, read-only, and lists only their own', async () => {
    // The owner starts an article: the page has Cancel and no read-only note.
    const owner = await e2e.open()
    const ownerCalls = recordApiCalls(owner, e2e.apiBaseUrl)
    const id = await startJob(owner, e2e.origin, TOPICS.writing)
    const link = owner.url()
    await owner.locator('[data-testid="live-section"][data-index="0"]').waitFor()
    expect(await owner.getByRole('button', { name: 'Cancel' }).isVisible()).toBe(true)
    expect(await owner.getByTestId('read-only').count()).toBe(0)
    const created = ownerCalls.find((c) => c.call === 'POST /api/jobs')
    expect(created).toBeDefined()

    // A friend opens the link in another browser: the text streams in, read-only.
    const friend = await e2e.open()
    const friendCalls = recordApiCalls(friend, e2e.apiBaseUrl)
    await friend.goto(link)
    await friend.locator('[data-testid="job"][data-status="running"]').waitFor()
    await friend.locator('[data-testid="live-section"][data-index="0"]').waitFor()
    const note = friend.getByTestId('read-only')
    await note.waitFor()
    expect(await note.textContent()).toMatch(/Read-only.*shared link.*started this article/s)
    expect(await friend.getByRole('button', { name: 'Cancel' }).count()).toBe(0)
    // Keyboard: from the heading, Tab reaches "New article" (there is no Cancel to reach).
    await friend.getByRole('heading', { level: 1 }).focus()
    await friend.keyboard.press('Tab')
    expect(await friend.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'New article',
    )
    await expectNoViolations(friend, 'the read-only view')

    // The friend's start page lists their own articles: none, and not the owner's.
    const friendHome = await friend.context().newPage()
    const friendHomeCalls = recordApiCalls(friendHome, e2e.apiBaseUrl)
    await friendHome.goto(e2e.origin)
    const friendRecent = friendHome.getByRole('region', { name: 'Recent articles' })
    await expect.poll(() => friendRecent.textContent(), { timeout: 10_000 }).toContain('None yet')
    expect(await friendRecent.textContent()).not.toContain(TOPICS.writing)

    // The owner's start page lists the article, with its live status, and links to it.
    const ownerHome = await owner.context().newPage()
    const ownerHomeCalls = recordApiCalls(ownerHome, e2e.apiBaseUrl)
    await ownerHome.goto(e2e.origin)
    const row = ownerHome.getByTestId('recent-jobs').locator('li', { hasText: TOPICS.writing })
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toMatch(/running/i)
    expect(await row.getByRole('link').getAttribute('href')).toBe(`#/jobs/${id}`)

    // The owner cancels with the token this browser kept; the friend sees the job end.
    await owner.bringToFront()
    await owner.getByRole('button', { name: 'Cancel' }).click()
    await owner.locator('[data-testid="job"][data-status="cancelled"]').waitFor({ timeout: 10_000 })
    await friend
      .locator('[data-testid="job"][data-status="cancelled"]')
      .waitFor({ timeout: 10_000 })
    expect(await friend.getByText('This job was cancelled.').count()).toBe(1)
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toMatch(/cancelled/i)

    const cancels = ownerCalls.filter((c) => c.call.endsWith('/cancel'))
    expect(cancels).toHaveLength(1)
    expect(cancels[0]?.authorization).toMatch(/^Bearer [\w-]{43}$/)
    // Nobody asked the server for everyone's jobs; the friend never tried to cancel.
    const all = [...ownerCalls, ...friendCalls, ...friendHomeCalls, ...ownerHomeCalls]
    expect(all.filter((c) => /^GET \/api\/jobs(\?|$)/.test(c.call))).toEqual([])
    expect(friendCalls.filter((c) => c.call.endsWith('/cancel'))).toEqual([])
    expect(friendCalls.every((c) => c.authorization === undefined)).toBe(true)
  }, 60_000)

  it('keeps working for the owner after a reload, from the history alone', async () => {
    const page = await e2e.open()
    await startJob(page, e2e.origin, TOPICS.writing)
    await waitForSeqAbove(page, 5)
    await page.reload()
    await page.getByRole('button', { name: 'Cancel' }).click()
    await page.locator('[data-testid="job"][data-status="cancelled"]').waitFor({ timeout: 10_000 })
  }, 30_000)
})
