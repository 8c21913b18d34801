import type { ProgressEvent } from '@inkflow/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStorage, type Storage } from '../../src/compose/create-storage.js'
import type { EventLog } from '../../src/events/event-log.js'
import {
  testArticle as article,
  completedEvent,
  queuedEvent,
  tokenEvent,
} from '../helpers/log-events.js'
import { readStream } from '../helpers/sse-reader.js'
import { startTestServer, type TestServer } from '../helpers/test-server.js'

/** Live delivery this late: the feed's window lags the log, as a busy Redis follower's can. */
const DELIVERY_LAG_MS = 300

let counter = 0

/** A job with `tokens` token events after its `job.queued`, left `running`. */
async function runningJob(storage: Storage, tokens: number): Promise<string> {
  const id = `finished-stream-${counter++}`
  await storage.jobs.create({ id, topic: 'tea', createdAt: new Date().toISOString() })
  await storage.jobs.update(id, { status: 'running', attempt: 1 })
  await storage.events.append(queuedEvent(id))
  for (let i = 0; i < tokens; i++) await storage.events.append(tokenEvent(id, `t${i} `))
  return id
}

const complete = (storage: Storage, jobId: string) =>
  storage.finishes.finish(completedEvent(jobId), { status: 'completed', progress: 100, article })

const seqs = (events: ProgressEvent[]) => events.map((e) => e.seq)

describe('the stream of a job that had finished when the client connected', () => {
  let storage: Storage
  let server: TestServer
  const url = (id: string) => `${server.baseUrl}/api/jobs/${id}/events`
  beforeAll(async () => {
    const memory = await createStorage('memory')
    const lagging: EventLog = {
      ...memory.events,
      subscribe: (jobId, listener) =>
        memory.events.subscribe(jobId, (event) => {
          setTimeout(() => listener(event), DELIVERY_LAG_MS)
        }),
    }
    storage = { ...memory, events: lagging }
    server = await startTestServer({ storage })
  })
  afterAll(() => server.close())

  it('waits for the end the feed has not heard yet, since the log holds it', async () => {
    const id = await runningJob(storage, 2)
    // A first reader follows the job, so the feed keeps a window of it.
    let seen = 0
    const first = readStream(url(id), { onEvent: () => seen++ })
    while (seen < 3) await new Promise((r) => setTimeout(r, 5))
    await complete(storage, id)
    // The job reads finished at once; the feed hears its end only later.
    const late = await readStream(url(id))
    expect(late.endedByServer).toBe(true)
    expect(seqs(late.events)).toEqual([1, 2, 3, 4])
    expect(late.events.at(-1)?.type).toBe('job.completed')
    expect((await first).events).toEqual(late.events)
  })

  it('ends at once after what the log holds when the log lacks its end (written before atomic finishes)', async () => {
    const id = await runningJob(storage, 2)
    await storage.jobs.update(id, { status: 'completed', progress: 100, article })
    const started = Date.now()
    const result = await readStream(url(id))
    expect(result.endedByServer).toBe(true)
    expect(seqs(result.events)).toEqual([1, 2, 3])
    // No grace period: it ends as soon as it has read the log (a grace of seconds shows here).
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it.each([4, 99])('ends at once when Last-Event-ID is %i, at or past the end', async (last) => {
    const id = await runningJob(storage, 2)
    await complete(storage, id)
    const started = Date.now()
    const result = await readStream(url(id), { lastEventId: last })
    expect(result.endedByServer).toBe(true)
    expect(result.events).toEqual([])
    expect(Date.now() - started).toBeLessThan(1000)
  })
})
