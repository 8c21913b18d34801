import { describe, expect, it } from 'vitest'
import { closeAfterEach } from '../helpers/close-after-each.js'
import { putOutline } from '../helpers/job-client.js'
import { openStream, readStream } from '../helpers/sse-reader.js'
import {
  cancelJob,
  createJob,
  getJob,
  startTestServer,
  type TestServer,
  waitUntil,
} from '../helpers/test-server.js'

const closing = closeAfterEach()
let server: TestServer
/** Starts this test's server with `env`; it is closed after the test. */
const start = async (env: Record<string, string>) => {
  server = closing(await startTestServer({ env }))
}

/** Starts a job that stops at its outline review; resolves once it waits. */
async function waitingJob(baseUrl: string) {
  const res = await fetch(`${baseUrl}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ topic: 'tea', reviewOutline: true }),
  })
  const { id, ownerToken } = (await res.json()) as { id: string; ownerToken: string }
  const job = await waitUntil(async () => {
    const now = await getJob(baseUrl, id)
    return now.status === 'waiting' ? now : undefined
  })
  const logged = await server.storage.events.read(id, 0, 1000)
  const lastSeq = logged.at(-1)?.seq ?? 0
  expect(logged.at(-1)?.type).toBe('job.waiting')
  return { id, ownerToken, outline: job.outline!, lastSeq }
}

describe('a Last-Event-ID past the end of the log', () => {
  it('gets nothing, and the stream ends when the job does', async () => {
    await start({ DEMO_TOKEN_DELAY_MS: '0' })
    const job = await waitingJob(server.baseUrl)
    const events = `${server.baseUrl}/api/jobs/${job.id}/events`
    const reading = readStream(events, { lastEventId: 1_000_000_000, timeoutMs: 20_000 })
    // The job goes on (approved), writes its article and completes, all below that seq.
    expect((await putOutline(server.baseUrl, job.id, job.ownerToken, job.outline)).status).toBe(202)
    const stream = await reading
    expect(stream.status).toBe(200)
    expect(stream.endedByServer).toBe(true)
    expect(stream.events).toEqual([])
    expect((await getJob(server.baseUrl, job.id)).status).toBe('completed')
  })

  it('gets the events once the log passes it, and ends with the job', async () => {
    await start({ DEMO_TOKEN_DELAY_MS: '0' })
    const job = await waitingJob(server.baseUrl)
    const after = job.lastSeq + 3
    const reading = readStream(`${server.baseUrl}/api/jobs/${job.id}/events`, {
      lastEventId: after,
      timeoutMs: 20_000,
    })
    await putOutline(server.baseUrl, job.id, job.ownerToken, job.outline)
    const stream = await reading
    expect(stream.events.length).toBeGreaterThan(3)
    expect(stream.events[0]?.seq).toBe(after + 1)
    expect(stream.events.at(-1)?.type).toBe('job.completed')
  })

  it('ends when a waiting job is cancelled', async () => {
    await start({ DEMO_TOKEN_DELAY_MS: '0' })
    const job = await waitingJob(server.baseUrl)
    const reading = readStream(`${server.baseUrl}/api/jobs/${job.id}/events`, {
      lastEventId: 1_000_000_000,
    })
    await waitUntil(async () => (await getJob(server.baseUrl, job.id)).status === 'waiting')
    expect((await cancelJob(server.baseUrl, job.id, job.ownerToken)).status).toBe(202)
    const stream = await reading
    expect(stream.endedByServer).toBe(true)
    expect(stream.events).toEqual([])
  })

  it('ends at once for a finished job', async () => {
    await start({ DEMO_TOKEN_DELAY_MS: '0' })
    const id = await createJob(server.baseUrl)
    await readStream(`${server.baseUrl}/api/jobs/${id}/events`)
    const stream = await readStream(`${server.baseUrl}/api/jobs/${id}/events`, {
      lastEventId: 1_000_000_000,
    })
    expect(stream.endedByServer).toBe(true)
    expect(stream.events).toEqual([])
  })
})

describe('stream quotas key on the client, caps on the process', () => {
  it('counts one IPv6 /56 behind TRUST_PROXY as one client', async () => {
    await start({ TRUST_PROXY: 'loopback', MAX_STREAMS_PER_CLIENT: '2', DEMO_TOKEN_DELAY_MS: '0' })
    const job = await waitingJob(server.baseUrl)
    const events = `${server.baseUrl}/api/jobs/${job.id}/events`
    const from = (client: string) =>
      openStream(events, { from: '127.0.0.1', headers: { 'x-forwarded-for': client } })
    const opened = []
    try {
      // Three addresses of one /56 (2001:db8:1:100::/56), then one of the next /56.
      for (const client of [
        '2001:db8:1:100::1',
        '2001:db8:1:1ff:abcd::2',
        '2001:db8:1:142::3',
        '2001:db8:1:200::1',
      ])
        opened.push(await from(client))
      expect(opened.map((s) => s.status)).toEqual([200, 200, 429, 200])
    } finally {
      for (const s of opened) s.close()
    }
  })

  it('answers 503 beyond MAX_STREAMS, whoever asks', async () => {
    await start({ MAX_STREAMS: '2', DEMO_TOKEN_DELAY_MS: '0' })
    const job = await waitingJob(server.baseUrl)
    const events = `${server.baseUrl}/api/jobs/${job.id}/events`
    const opened = [
      await openStream(events, { from: '127.0.0.2' }),
      await openStream(events, { from: '127.0.0.3' }),
    ]
    try {
      const third = await openStream(events, { from: '127.0.0.4' })
      opened.push(third)
      expect(opened.map((s) => s.status)).toEqual([200, 200, 503])
      expect(third.raw).toContain('stream limit')
      // A closed stream frees its place.
      opened[0]!.close()
      await waitUntil(async () => {
        const again = await openStream(events, { from: '127.0.0.5' })
        again.close()
        return again.status === 200 || undefined
      })
    } finally {
      for (const s of opened) s.close()
    }
  })
})
