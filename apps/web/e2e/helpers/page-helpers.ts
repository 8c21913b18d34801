import type { Page } from 'playwright-core'

/** Types `topic`, presses Enter, and returns the new job's id from the page's URL. */
export async function startJob(page: Page, origin: string, topic: string): Promise<string> {
  await page.goto(origin)
  const input = page.getByRole('textbox', { name: 'Topic' })
  await input.fill(topic)
  await input.press('Enter')
  await page.waitForURL(/#\/jobs\/[^/]+$/, { timeout: 10_000 })
  return decodeURIComponent(page.url().split('#/jobs/')[1]!)
}

/** What the job page shows right now, read in one go so it is consistent. */
export interface PageSnapshot {
  status: string
  seq: number
  sections: { index: number; text: string }[]
  polished: string | null
}

export function snapshot(page: Page): Promise<PageSnapshot> {
  return page.evaluate(() => {
    const job = document.querySelector<HTMLElement>('[data-testid="job"]')
    // The caret is a child element without text, so textContent is the streamed text alone.
    const sections = [
      ...document.querySelectorAll<HTMLElement>('[data-testid="live-section"]'),
    ].map((el) => ({ index: Number(el.dataset.index), text: el.textContent ?? '' }))
    const polished = document.querySelector('[data-testid="live-polished"]')?.textContent ?? null
    return {
      status: job?.dataset.status ?? '',
      seq: Number(job?.dataset.lastSeq ?? 0),
      sections,
      polished,
    }
  })
}

/** Resolves once the page has applied an event with seq above `seq`. */
export async function waitForSeqAbove(page: Page, seq: number, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    (after) =>
      Number(document.querySelector<HTMLElement>('[data-testid="job"]')?.dataset.lastSeq) > after,
    seq,
    { timeout },
  )
}

/** `Last-Event-ID` of every events request the page makes, in order. */
export function recordStreamRequests(page: Page): (string | undefined)[] {
  const ids: (string | undefined)[] = []
  page.on('request', (request) => {
    if (request.url().endsWith('/events') && request.method() === 'GET') {
      ids.push(request.headers()['last-event-id'])
    }
  })
  return ids
}
