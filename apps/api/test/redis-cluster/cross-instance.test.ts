import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cancelJob, getJob, startJob } from '../helpers/job-client.js'
import { type EventStream, openStream, readStream, seqsOf } from '../helpers/sse-reader.js'
import { waitUntil } from '../process/wait-until.js'
import { connectionNames, redisForTests, TEST_REDIS_URL } from '../store/redis-test-support.js'
import { type Cluster, startCluster } from './cluster.js'

const up = await redisForTests('the Redis cluster tests (2 APIs + 2 workers)')
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1)

describe.skipIf(!up)('2 API instances and 2 workers on one Redis', () => {
  let cluster: Cluster
  beforeAll(async () => {
    cluster = await startCluster({ tokenDelayMs: 25, stallIntervalMs: 1500 })
  }, 30_000)
  afterAll(async () => {
    await cluster?.stop()
  })

  it('streams a job posted to instance A live from instance B, replay and Last-Event-ID included', async () => {
    const [a, b] = cluster.apis
    const jobId = await cluster.post(a, 'tea ceremonies')
    const live = await openStream(`${b.url}/api/jobs/${jobId}/events`)
    await live.ended
    const n = live.events.length
    expect(seqsOf(live.events)).toEqual(range(n))
    expect(live.events.at(-1)?.type).toBe('job.completed')
    expect(live.events.filter((e) => e.type === 'token').length).toBeGreaterThan(10)

    // Replay from either instance, whole or after a Last-Event-ID, is the same log.
    expect((await readStream(`${a.url}/api/jobs/${jobId}/events`)).events).toEqual(live.events)
    const after = (
      await readStream(`${b.url}/api/jobs/${jobId}/events`, { headers: { 'Last-Event-ID': '5' } })
    ).events
    expect(seqsOf(after)).toEqual(range(n).slice(5))
    expect(await getJob(a.url!, jobId)).toMatchObject({ status: 'completed', progress: 100 })
  }, 60_000)

  it('resumes a stream on the other instance with Last-Event-ID while the job runs', async () => {
    const [a, b] = cluster.apis
    const jobId = await cluster.post(b, 'kites')
    const first = await openStream(`${a.url}/api/jobs/${jobId}/events`)
    const cut = await first.waitFor((e) => e.type === 'section.started')
    first.close()
    const rest = await openStream(`${b.url}/api/jobs/${jobId}/events`, {
      headers: { 'Last-Event-ID': String(cut.seq) },
    })
    await rest.ended
    const seen = [...first.events.filter((e) => e.seq <= cut.seq), ...rest.events]
    expect(seqsOf(seen)).toEqual(range(seen.length))
    expect(seen.at(-1)?.type).toBe('job.completed')
  }, 60_000)

  it('cancels on instance B a job a worker runs: it stops within a second, its model request aborted', async () => {
    const [a, b] = cluster.apis
    // The owner token made on instance A cancels on instance B.
    const { id: jobId, ownerToken } = await startJob(a.url!, 'bridges')
    const stream = await openStream(`${b.url}/api/jobs/${jobId}/events`)
    await stream.waitFor((e) => e.type === 'token' && e.step === 'content')
    const worker = await cluster.workerRunning(jobId)
    const inFlight = cluster.stub.requests.at(-1)!
    expect(inFlight.aborted).toBe(false)

    const asked = Date.now()
    expect((await cancelJob(b.url!, jobId, ownerToken)).status).toBe(202)
    const cancelled = await stream.waitFor((e) => e.type === 'job.cancelled', 5000)
    const stoppedAfterMs = Date.parse(cancelled.ts) - asked
    expect(stoppedAfterMs).toBeLessThan(1000)
    // The stub hears the closed request over its own socket: that may come a little after
    // the stream carries job.cancelled (seen in 1 run of 3), so it is waited for, briefly.
    await waitUntil('the model request is aborted', () => inFlight.aborted, 1000)
    await worker.waitForLog(
      (l) => l.msg === 'cancel received; aborting the job' && l.jobId === jobId,
    )
    await stream.ended
    expect(seqsOf(stream.events)).toEqual(range(stream.events.length))
    expect((await getJob(a.url!, jobId)).status).toBe('cancelled')
  }, 60_000)

  it('serves many open streams of an instance over a few shared Redis connections', async () => {
    const [a, b] = cluster.apis
    const names = () => connectionNames(TEST_REDIS_URL, `${cluster.prefix}:api-${b.pid}:`)
    const jobIds = await Promise.all([1, 2, 3].map((i) => cluster.post(a, `glass ${i}`)))
    const streams: EventStream[] = []
    try {
      streams.push(await openStream(`${b.url}/api/jobs/${jobIds[0]}/events`))
      await streams[0]!.waitFor((e) => e.type === 'job.started')
      const before = await names()
      for (let i = 0; i < 300; i++)
        streams.push(await openStream(`${b.url}/api/jobs/${jobIds[i % 3]}/events`))
      await Promise.all(streams.map((s) => s.waitFor((e) => e.type === 'token')))
      const during = await names()
      console.info(`instance B: ${streams.length} open streams, Redis connections: ${during}`)
      expect(during.sort()).toEqual(before.sort())
      expect(during.length).toBeLessThanOrEqual(3)
      await Promise.all(streams.map((s) => s.ended))
      for (const s of streams) expect(s.events.at(-1)?.type).toBe('job.completed')
    } finally {
      for (const s of streams) s.close()
    }
  }, 90_000)
})
