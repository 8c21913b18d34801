import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectWholeLog } from '../helpers/job-log.js'
import { openStream } from '../helpers/sse-reader.js'
import { redisForTests } from '../store/redis-test-support.js'
import { type Cluster, SECTION_WORDS, startCluster } from './cluster.js'

const up = await redisForTests('the Redis worker-failure tests (2 APIs + 2 workers)')
const STALL_INTERVAL_MS = 1500

describe.skipIf(!up)('workers that die or stop, on one Redis', () => {
  let cluster: Cluster
  beforeAll(async () => {
    cluster = await startCluster({ tokenDelayMs: 40, stallIntervalMs: STALL_INTERVAL_MS })
  }, 30_000)
  afterAll(async () => {
    await cluster?.stop()
  })

  it('resumes a job from its checkpoint on the other worker when its worker is SIGKILLed', async () => {
    const [a, b] = cluster.apis
    const jobId = await cluster.post(a, 'lighthouses')
    const stream = await openStream(`${b.url}/api/jobs/${jobId}/events`)
    await stream.waitFor((e) => e.type === 'token' && e.step === 'content' && e.index === 1)
    const victim = await cluster.workerRunning(jobId)
    victim.kill('SIGKILL')
    await victim.exited
    const killedAt = Date.now()

    const resumed = await stream.waitFor((e) => e.type === 'job.started' && e.attempt === 2)
    console.info(`SIGKILL: resumed ${Date.parse(resumed.ts) - killedAt} ms after the kill`)
    // BullMQ needs the lock to expire and two stalled checks (about 3 intervals), plus slack
    // for a loaded machine: seconds, where BullMQ's default settings would take 30 s or more.
    expect(Date.parse(resumed.ts) - killedAt).toBeLessThan(4 * STALL_INTERVAL_MS + 3000)
    expect(await cluster.workerRunning(jobId)).not.toBe(victim)
    await stream.ended
    expectWholeLog(stream.events)
    // Section 0 was checkpointed before the kill: it was not written again.
    const started0 = stream.events.filter((e) => e.type === 'section.started' && e.index === 0)
    expect(started0).toHaveLength(1)
    // Section 1 was cut mid-way: the other worker carried on from the text in the log, under
    // the same start, every word once and in order.
    const started1 = stream.events.filter((e) => e.type === 'section.started' && e.index === 1)
    expect(started1).toHaveLength(1)
    const completed1 = stream.events.find((e) => e.type === 'section.completed' && e.index === 1)
    const positions =
      completed1?.type === 'section.completed'
        ? completed1.content.split(' ').map((w) => Number(/^r\d+w(\d+)$/.exec(w)?.[1]))
        : []
    expect(positions).toEqual(Array.from({ length: SECTION_WORDS }, (_, i) => i))
    const writers = new Set(
      completed1?.type === 'section.completed' ? completed1.content.match(/r\d+/g) : [],
    )
    expect(writers.size).toBe(2) // the killed worker's words, then the other's
    await cluster.addWorker()
  }, 60_000)

  it('fences a worker that lost its lock: once another took the job over it appends nothing', async () => {
    const [a, b] = cluster.apis
    const jobId = await cluster.post(b, 'canals')
    const stream = await openStream(`${a.url}/api/jobs/${jobId}/events`)
    await stream.waitFor((e) => e.type === 'token' && e.step === 'content' && e.index === 0)
    const zombie = await cluster.workerRunning(jobId)
    const zombieRequest = cluster.stub.requests.at(-1)!.index
    zombie.kill('SIGSTOP') // frozen: its lock expires while it still thinks it owns the job
    try {
      const takeover = await stream.waitFor((e) => e.type === 'job.started' && e.attempt === 2)
      zombie.kill('SIGCONT')
      const stopped = await zombie.waitForLog(
        (l) =>
          l.jobId === jobId && /taken over by another worker|job interrupted/.test(String(l.msg)),
        20_000,
      )
      console.info(`zombie: ${stopped.msg}`)
      await stream.ended
      expectWholeLog(stream.events)
      // The zombie's words from before the takeover stay (the new worker carries on from
      // them, and the style pass quotes them); none it wrote after may reach the log.
      const late = stream.events.filter(
        (e) =>
          e.seq > takeover.seq &&
          e.type === 'token' &&
          e.step === 'content' &&
          e.text.includes(`r${zombieRequest}w`),
      )
      expect(late).toEqual([])
    } finally {
      zombie.kill('SIGCONT')
    }
  }, 60_000)

  it('stops a worker on SIGTERM within a bounded time, handing its job to the other', async () => {
    const [a, b] = cluster.apis
    const jobId = await cluster.post(a, 'windmills')
    const stream = await openStream(`${b.url}/api/jobs/${jobId}/events`)
    await stream.waitFor((e) => e.type === 'token' && e.step === 'content')
    const worker = await cluster.workerRunning(jobId)
    const asked = Date.now()
    worker.kill('SIGTERM')
    // main.ts exits 1 if a graceful stop overruns its bound; 0 means it stopped in time.
    expect((await worker.exited).code).toBe(0)
    console.info(`SIGTERM: the worker exited ${Date.now() - asked} ms after the signal`)
    await worker.waitForLog((l) => l.msg === 'stopped')
    await stream.ended
    expectWholeLog(stream.events)
    expect(stream.events.filter((e) => e.type === 'job.started')).toHaveLength(2)
    await cluster.addWorker()
  }, 60_000)
})
