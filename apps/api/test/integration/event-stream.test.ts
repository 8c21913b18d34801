import { startLlmStub } from '@inkflow/llm-stub'
import type { ProgressEvent } from '@inkflow/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRandom } from '../../src/llm/demo-text.js'
import { closeAfterEach } from '../helpers/close-after-each.js'
import { readStream } from '../helpers/sse-reader.js'
import { createJob, startTestServer, stubModel, type TestServer } from '../helpers/test-server.js'

const closing = closeAfterEach()

const eventsUrl = (server: TestServer, id: string) => `${server.baseUrl}/api/jobs/${id}/events`

/** The whole log of a finished job, read from the start. */
async function fullLog(server: TestServer, id: string): Promise<ProgressEvent[]> {
  const { events } = await readStream(eventsUrl(server, id))
  return events
}

describe('GET /api/jobs/{id}/events', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ env: { DEMO_TOKEN_DELAY_MS: '1' } })
  })
  afterAll(() => server.close())

  it('streams the whole job live with the contract headers and ends after job.completed', async () => {
    const id = await createJob(server.baseUrl, 'tea')
    const result = await readStream(eventsUrl(server, id))
    expect(result.status).toBe(200)
    expect(result.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(result.headers.get('cache-control')).toBe('no-cache, no-transform')
    expect(result.headers.get('x-accel-buffering')).toBe('no')
    expect(result.headers.get('content-encoding')).toBeNull()
    expect(result.endedByServer).toBe(true)
    expect(result.raw.startsWith('retry: ')).toBe(true)

    const { events } = result
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
    expect(events[0]?.type).toBe('job.queued')
    expect(events.at(-1)?.type).toBe('job.completed')
    expect(events.filter((e) => e.type === 'job.completed')).toHaveLength(1)
    for (const e of events) expect(e.jobId).toBe(id)
    const types = new Set(events.map((e) => e.type))
    for (const type of [
      'job.started',
      'step.started',
      'outline.ready',
      'section.started',
      'token',
      'section.completed',
      'step.completed',
    ]) {
      expect(types).toContain(type)
    }
  })

  it('writes id last in every frame', async () => {
    const id = await createJob(server.baseUrl, 'frames')
    const { raw } = await readStream(eventsUrl(server, id))
    const frames = raw.split('\n\n').filter((f) => f.startsWith('event:'))
    expect(frames.length).toBeGreaterThan(5)
    for (const frame of frames) {
      const lines = frame.split('\n')
      expect(lines[0]).toMatch(/^event: [a-z.]+$/)
      expect(lines[1]).toMatch(/^data: \{/)
      expect(lines.at(-1)).toMatch(/^id: \d+$/)
      expect(lines).toHaveLength(3)
    }
  })

  it('reports progress from 0 to 100 that never goes down, within each step’s band', async () => {
    const id = await createJob(server.baseUrl, 'progress')
    const events = await fullLog(server, id)
    let last = 0
    for (const e of events) {
      expect(e.progress).toBeGreaterThanOrEqual(last)
      last = e.progress
      if (e.type === 'outline.ready') expect(e.progress).toBe(30)
      if (e.type === 'step.started' && e.step === 'content') expect(e.progress).toBe(30)
      if (e.type === 'step.completed' && e.step === 'content') expect(e.progress).toBe(80)
      if (e.type === 'token' && e.step === 'outline') expect(e.progress).toBeLessThan(30)
      if (e.type === 'token' && e.step === 'style') expect(e.progress).toBeGreaterThanOrEqual(80)
    }
    expect(last).toBe(100)
  })

  it('streams text that adds up to each section and to the finished article', async () => {
    const id = await createJob(server.baseUrl, 'text')
    const events = await fullLog(server, id)
    const sectionText = new Map<number, string>()
    let styled = ''
    for (const e of events) {
      if (e.type === 'section.started') sectionText.set(e.index, '')
      if (e.type === 'token' && e.step === 'content')
        sectionText.set(e.index!, (sectionText.get(e.index!) ?? '') + e.text)
      if (e.type === 'token' && e.step === 'style') styled += e.text
      if (e.type === 'section.completed') expect(sectionText.get(e.index)?.trim()).toBe(e.content)
    }
    expect(sectionText.size).toBeGreaterThan(0)
    const done = events.at(-1)
    expect(done?.type).toBe('job.completed')
    if (done?.type === 'job.completed') expect(done.article.markdown).toBe(styled.trim())
  })

  it('replays only the events after Last-Event-ID, or after the lastEventId query', async () => {
    const id = await createJob(server.baseUrl, 'replay')
    const all = await fullLog(server, id)
    expect(all.length).toBeGreaterThan(7)
    expect(all.at(-1)?.type).toBe('job.completed')
    const afterHeader = await readStream(eventsUrl(server, id), { lastEventId: 5 })
    expect(afterHeader.events).toEqual(all.slice(5))
    const afterQuery = await readStream(eventsUrl(server, id), { query: 'lastEventId=7' })
    expect(afterQuery.events).toEqual(all.slice(7))
    const afterEnd = await readStream(eventsUrl(server, id), { lastEventId: all.length })
    expect(afterEnd.events).toEqual([])
    expect(afterEnd.endedByServer).toBe(true)
  })

  it('delivers every event exactly once, in order, to a reader that drops and reconnects at random points', async () => {
    const id = await createJob(server.baseUrl, 'reconnects')
    const random = createRandom('reconnect-points')
    const seen: ProgressEvent[] = []
    let connections = 0
    while (seen.at(-1)?.type !== 'job.completed' && connections < 500) {
      connections++
      const { events } = await readStream(eventsUrl(server, id), {
        lastEventId: seen.at(-1)?.seq ?? 0,
        stopAfter: 1 + Math.floor(random() * 6),
      })
      seen.push(...events)
    }
    expect(connections).toBeGreaterThan(5)
    expect(seen.at(-1)?.type).toBe('job.completed')
    expect(seen.map((e) => e.seq)).toEqual(seen.map((_, i) => i + 1))
    const all = await fullLog(server, id)
    expect(seen).toHaveLength(all.length)
    expect(seen).toEqual(all)
  })

  it('gives two readers of one job identical streams', async () => {
    const id = await createJob(server.baseUrl, 'two readers')
    const [a, b] = await Promise.all([
      readStream(eventsUrl(server, id)),
      readStream(eventsUrl(server, id)),
    ])
    expect(a.events.length).toBeGreaterThan(10)
    expect(a.events.at(-1)?.type).toBe('job.completed')
    expect(b.events).toHaveLength(a.events.length)
    expect(a.events).toEqual(b.events)
  })

  it('replays and ends when connecting after the job finished', async () => {
    const id = await createJob(server.baseUrl, 'late reader')
    const first = await fullLog(server, id)
    expect(first.length).toBeGreaterThan(10)
    expect(first.at(-1)?.type).toBe('job.completed')
    const late = await readStream(eventsUrl(server, id))
    expect(late.endedByServer).toBe(true)
    expect(late.events).toHaveLength(first.length)
    expect(late.events).toEqual(first)
  })

  it('answers an unknown job with a 404 problem, not a stream', async () => {
    const res = await fetch(`${server.baseUrl}/api/jobs/unknown/events`)
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  })

  it.each(['abc', '-1', '1.5', '9'.repeat(30)])(
    'answers Last-Event-ID %s with a 400 problem',
    async (value) => {
      const id = await createJob(server.baseUrl, 'bad id')
      const res = await fetch(eventsUrl(server, id), { headers: { 'Last-Event-ID': value } })
      expect(res.status).toBe(400)
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    },
  )
})

describe('heartbeats', () => {
  it('sends a ping comment every HEARTBEAT_MS while nothing else happens', async () => {
    // A model that stops mid-outline leaves the stream quiet.
    const stub = closing(await startLlmStub({ reply: () => ({ hangAfterTokens: 1 }) }))
    const server = closing(
      await startTestServer({ llm: stubModel(stub.url), env: { HEARTBEAT_MS: '150' } }),
    )
    const id = await createJob(server.baseUrl, 'quiet')
    const result = await readStream(eventsUrl(server, id), { stopAfterComments: 2 })
    expect(result.comments).toEqual(['ping', 'ping'])
    expect(result.events.map((e) => e.type)).toContain('job.started')
  })
})
