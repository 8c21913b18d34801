import type { Page } from 'playwright-core'

/** Types `topic`, presses Enter, and returns the new job's id from the page's URL. */
export async function startJob(page: Page, origin: string, topic: string): Promise<string> {
  await page.goto(origin)
  const input = page.getByRole('textbox', { name: 'Topic' })
  await input.fill(topic)
  await input.press('Enter')
  await page.waitForURL(/#\/jobs\/[^/]+$/, { timeout: 10_000 })
  return jobIdOf(page)
}

/** The id of the job the page shows, from its URL. */
export const jobIdOf = (page: Page) => decodeURIComponent(page.url().split('#/jobs/')[1] ?? '')

/** Starts `topic` with "let me review the outline first" and waits for the editor. */
export async function startReviewedJob(page: Page, origin: string, topic: string) {
  await page.goto(origin)
  await page.locator('summary', { hasText: 'Options' }).click()
  await page.getByRole('checkbox', { name: 'Let me review the outline first' }).check()
  await page.getByRole('textbox', { name: 'Topic' }).fill(topic)
  await page.getByRole('button', { name: 'Generate' }).click()
  await page.getByTestId('outline-editor').waitFor({ timeout: 20_000 })
}

/** Text with its runs of white space made one space: how a reader sees rendered text. */
export const normalizeText = (text: string) => text.replace(/\s+/g, ' ').trim()

/** What the job page shows right now, read in one go so it is consistent. */
export interface PageSnapshot {
  status: string
  seq: number
  /**
   * The visible text of each rendered part, white space normalized, keyed by its test id and
   * section: `live-section:0` (a draft), `live-polished:0`, `article-lead`.
   */
  texts: Record<string, string>
  /** Each shown section's heading, by section index. */
  titles: Record<string, string>
}

export async function snapshot(page: Page): Promise<PageSnapshot> {
  // The renderer loads on demand: every text's container is filled once it has.
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.prose')].every((el) => el.querySelector('.md-open')),
  )
  const raw = await page.evaluate(() => {
    const job = document.querySelector<HTMLElement>('[data-testid="job"]')
    const texts: Record<string, string> = {}
    for (const el of document.querySelectorAll<HTMLElement>('.prose[data-testid]')) {
      const key = el.dataset.index === undefined ? '' : `:${el.dataset.index}`
      // The caret is drawn by CSS, so textContent is the rendered text alone.
      texts[`${el.dataset.testid}${key}`] = el.textContent ?? ''
    }
    const titles: Record<string, string> = {}
    for (const el of document.querySelectorAll<HTMLElement>('.article-section')) {
      titles[el.dataset.index ?? ''] = el.querySelector('h3')?.textContent ?? ''
    }
    return {
      status: job?.dataset.status ?? '',
      seq: Number(job?.dataset.lastSeq ?? 0),
      texts,
      titles,
    }
  })
  const texts = Object.fromEntries(Object.entries(raw.texts).map(([k, v]) => [k, normalizeText(v)]))
  return { ...raw, texts }
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

/** Every request the page makes to the API: `METHOD path`, its Authorization and its body. */
export function recordApiCalls(page: Page, apiBaseUrl: string) {
  const calls: { call: string; authorization?: string; body?: unknown }[] = []
  page.on('request', (request) => {
    if (!request.url().startsWith(apiBaseUrl)) return
    const data = request.postData()
    calls.push({
      call: `${request.method()} ${request.url().slice(apiBaseUrl.length)}`,
      authorization: request.headers().authorization,
      body: data ? JSON.parse(data) : undefined,
    })
  })
  return calls
}
