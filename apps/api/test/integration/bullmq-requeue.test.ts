import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { createBullmqQueue } from '../../src/jobs/bullmq/bullmq-queue.js'
import { openRedisStorage } from '../../src/store/redis/open-redis-storage.js'
import { waitUntil } from '../helpers/job-client.js'
import {
  prefixesDeletedAfterAll,
  redisForTests,
  TEST_REDIS_URL,
} from '../store/redis-test-support.js'

const up = await redisForTests('the BullMQ requeue test')

describe.skipIf(!up)('BullMQ: a job queued again after its run parked it', () => {
  const newPrefix = prefixesDeletedAfterAll()

  it('runs again, whether its first run is still ending or long completed', async () => {
    const prefix = newPrefix('requeue')
    const storage = await openRedisStorage(TEST_REDIS_URL, { keyPrefix: prefix })
    const runs: string[] = []
    let endFirstRun = () => {}
    const queue = createBullmqQueue({
      connection: storage.redis.target,
      commands: storage.redis.commands,
      keyPrefix: prefix,
      instanceName: 'worker',
      logger: pino({ level: 'silent' }),
      worker: {
        concurrency: 2,
        stallIntervalMs: 5000,
        onFinalFailure: async () => {},
        execute: async (jobId) => {
          runs.push(jobId)
          // The first run of 'still-ending' parks its job, then takes a while to return.
          if (jobId === 'still-ending' && runs.filter((r) => r === jobId).length === 1) {
            await new Promise<void>((resolve) => (endFirstRun = resolve))
          }
        },
      },
    })
    const ranTimes = (jobId: string) => runs.filter((r) => r === jobId).length
    try {
      // Requeued while its first run is still active: not dropped, run after that run.
      await queue.enqueue('still-ending')
      await waitUntil(() => ranTimes('still-ending') === 1)
      const requeued = queue.requeue('still-ending')
      setTimeout(() => endFirstRun(), 200)
      await requeued
      await waitUntil(() => ranTimes('still-ending') === 2)

      // Requeued long after its first run completed: BullMQ's record of it does not hide it.
      await queue.enqueue('long-done')
      await waitUntil(() => ranTimes('long-done') === 1)
      await new Promise((r) => setTimeout(r, 200))
      await queue.enqueue('long-done') // a plain add is ignored: the id is BullMQ's still
      await new Promise((r) => setTimeout(r, 300))
      expect(ranTimes('long-done')).toBe(1)
      await queue.requeue('long-done')
      await waitUntil(() => ranTimes('long-done') === 2)
    } finally {
      await queue.stop()
      await storage.close()
    }
  })
})
