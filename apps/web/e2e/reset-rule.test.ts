import { once } from 'node:events'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DEFAULT_JOB_OPTIONS, formatFrame, type ProgressEvent } from '@inkflow/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EventBody, fold } from '../test/helpers/fold-events.js'
import { hasChromium } from './helpers/browser.js'
import { expectTextsMatchLog } from './helpers/expect-live-text.js'
import { snapshot } from './helpers/page-helpers.js'
import { useE2e } from './helpers/use-e2e.js'

/**
 * A log with both restarts of the reset rule: `section.started` repeated for section 0 and
 * `step.started` repeated for style, each after text that must then leave the page.
 */
const BODIES: EventBody[] = [
  { type: 'job.queued', progress: 0, topic: 'Resets', options: { ...DEFAULT_JOB_OPTIONS } },
  { type: 'job.started', progress: 1, attempt: 1 },
  { type: 'step.started', progress: 1, step: 'outline' },
  { type: 'outline.ready', progress: 30, title: 'T', sections: ['A', 'B'] },
  { type: 'step.completed', progress: 30, step: 'outline' },
  { type: 'step.started', progress: 30, step: 'content' },
  { type: 'section.started', progress: 30, index: 0, title: 'A' },
  { type: 'token', progress: 35, step: 'content', index: 0, text: 'OLD-A words, then **a cut' },
  { type: 'section.started', progress: 35, index: 0, title: 'A' },
  {
    type: 'token',
    progress: 40,
    step: 'content',
    index: 0,
    text: 'New **A** text.\n\n- one\n- two',
  },
  {
    type: 'section.completed',
    progress: 50,
    index: 0,
    title: 'A',
    content: 'New **A** text.\n\n- one\n- two',
  },
  { type: 'section.started', progress: 50, index: 1, title: 'B' },
  { type: 'token', progress: 60, step: 'content', index: 1, text: 'Draft of *B*.' },
  { type: 'section.completed', progress: 80, index: 1, title: 'B', content: 'Draft of *B*.' },
  { type: 'step.completed', progress: 80, step: 'content' },
  { type: 'step.started', progress: 80, step: 'style' },
  {
    type: 'token',
    progress: 85,
    step: 'style',
    text: '# T\n\nOLD-STYLE intro.\n\n## A\n\nOld A.\n\n## B\n\nOld',
  },
  { type: 'step.started', progress: 85, step: 'style' },
  {
    type: 'token',
    progress: 90,
    step: 'style',
    text: '# T\n\nNew intro.\n\n## A\n\nPolished **A**.\n\n## B\n\nPolished B, ha',
  },
]
const EVENTS = BODIES.map(
  (body, i) =>
    ({ ...body, jobId: 'j1', seq: i + 1, ts: new Date(0).toISOString() }) as ProgressEvent,
)
/** The first connection drops after this many events; the page reconnects for the rest. */
const DROP_AFTER = 13

/** The job's log as the API would serve it, from `EVENTS`. */
async function startLogServer() {
  const lastEventIds: (string | undefined)[] = []
  let firstResponse: ServerResponse | undefined
  const cors = {
    'access-control-allow-origin': '*',
    'access-control-allow-headers': 'last-event-id',
  }
  const server = createServer((req, res: ServerResponse) => {
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end()
    if (!req.url?.endsWith('/api/jobs/j1/events')) return void res.writeHead(404, cors).end()
    const after = Number(req.headers['last-event-id'] ?? 0)
    lastEventIds.push(req.headers['last-event-id'] as string | undefined)
    res.writeHead(200, {
      ...cors,
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
    })
    const first = lastEventIds.length === 1
    const events = EVENTS.filter((e) => e.seq > after && (!first || e.seq <= DROP_AFTER))
    for (const e of events)
      res.write(formatFrame({ event: e.type, data: JSON.stringify(e), id: e.seq }))
    // The first connection breaks off when the test says; the second stays open, the job
    // still running. (Cut on a timer, its frames could be lost with it in a busy browser.)
    if (first) firstResponse = res
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lastEventIds,
    /** Breaks the first connection off (once the page has shown what it carried). */
    dropFirst: () => firstResponse?.destroy(),
    close() {
      server.closeAllConnections()
      server.close()
    },
  }
}

let log: Awaited<ReturnType<typeof startLogServer>>

describe.skipIf(!hasChromium)('the reset rule, in the browser', () => {
  // Before the fixture's own hook, which points the SPA at it.
  beforeAll(async () => {
    log = await startLogServer()
  })
  afterAll(() => log?.close())
  const e2e = useE2e(() => ({ apiBaseUrl: log.origin }))

  it('drops the text of a restarted section and style pass, across a reconnect', async () => {
    const page = await e2e.open()
    await page.goto(`${e2e.origin}/#/jobs/j1`)
    await page.locator(`[data-testid="job"][data-last-seq="${DROP_AFTER}"]`).waitFor()
    log.dropFirst()
    await page.locator(`[data-testid="job"][data-last-seq="${EVENTS.length}"]`).waitFor()
    const shot = await snapshot(page)
    expect(log.lastEventIds).toEqual([undefined, String(DROP_AFTER)])
    expectTextsMatchLog(EVENTS, shot)
    // B's draft is one paragraph: the polished text being written has taken its place.
    expect(shot.texts).toEqual({
      'article-lead': 'New intro.',
      'live-polished:0': 'Polished A.',
      'live-polished:1': 'Polished B, ha',
    })
    expect(await page.locator('strong').allTextContents()).toEqual(['A'])
    // The fold the test compares with applies the rule too: the log's text, nothing older.
    expect(JSON.stringify(fold(BODIES))).not.toMatch(/OLD-STYLE|OLD-A/)
  })
})
