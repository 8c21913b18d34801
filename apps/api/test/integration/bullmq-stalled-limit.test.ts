import { randomUUID } from 'node:crypto'
import { Worker } from 'bullmq'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { createBullmqKeys } from '../../src/jobs/bullmq/bullmq-keys.js'
import { createBullmqQueue, QUEUE_NAME } from '../../src/jobs/bullmq/bullmq-queue.js'
import { createJobFinisher } from '../../src/jobs/finish-job.js'
import type { JobQueue } from '../../src/jobs/job-queue.js'
import { openRedisStorage } from '../../src/store/redis/open-redis-storage.js'
import { waitUntil } from '../helpers/job-client.js'
import { queuedEvent } from '../helpers/log-events.js'
import {
  prefixesDeletedAfterAll,
  redisForTests,
  TEST_REDIS_URL,
} from '../store/redis-test-support.js'

const up = await redisForTests('the BullMQ stalled-limit test')

describe.skipIf(!up)('a job BullMQ gives up on after its stalled limit', () => {
  const newPrefix = prefixesDeletedAfterAll()

  it('ends with job.failed (worker_lost) and a readable message, its processor not run', async () => {
    const prefix = newPrefix('stalled')
    const storage = await openRedisStorage(TEST_REDIS_URL, { keyPrefix: prefix })
    const finish = createJobFinisher({ finishes: storage.finishes })
    const connection = storage.redis.target
    const logger = pino({ level: 'silent' })
    const queues: JobQueue[] = []
    let dead: Worker | undefined
    try {
      // A job as the service creates it.
      const jobId = randomUUID()
      const ts = new Date().toISOString()
      await storage.jobs.create({ id: jobId, topic: 'tea', createdAt: ts })
      await storage.events.append(queuedEvent(jobId, ts))
      const adder = createBullmqQueue({
        connection,
        commands: storage.redis.commands,
        keyPrefix: prefix,
        instanceName: 'api',
        logger,
      })
      queues.push(adder)
      await adder.enqueue(jobId)

      // A worker takes the job and dies at once: it holds it active under a lock it never renews.
      dead = new Worker(QUEUE_NAME, null, {
        connection,
        prefix: createBullmqKeys(prefix).bullmq,
        lockDuration: 300,
        autorun: false,
      })
      expect((await dead.getNextJob('dead-worker'))?.id).toBe(jobId)

      // A live worker allowed no stall at all: its stalled check finds the lock gone.
      let ran = false
      const failures: unknown[] = []
      queues.push(
        createBullmqQueue({
          connection,
          commands: storage.redis.commands,
          keyPrefix: prefix,
          instanceName: 'worker',
          logger,
          worker: {
            execute: async () => {
              ran = true
            },
            concurrency: 1,
            stallIntervalMs: 300,
            maxStalledCount: 0,
            onFinalFailure: async (id, error) => {
              failures.push(error)
              const job = await storage.jobs.get(id)
              await finish(id, { status: 'failed', error }, { progress: job?.progress ?? 0 })
            },
          },
        }),
      )

      await waitUntil(async () => (await storage.jobs.get(jobId))?.status === 'failed')
      const error = {
        code: 'worker_lost',
        message: 'the job was given up after its worker stopped responding once',
        retryable: true,
      }
      expect(failures).toEqual([error])
      expect(ran).toBe(false)
      expect(await storage.jobs.get(jobId)).toMatchObject({ status: 'failed', error })
      const events = await storage.events.read(jobId, 0)
      expect(events.map((e) => [e.seq, e.type])).toEqual([
        [1, 'job.queued'],
        [2, 'job.failed'],
      ])
      expect(events[1]).toMatchObject({ error })
    } finally {
      await Promise.all(queues.map((q) => q.stop()))
      await dead?.close(true)
      await storage.close()
    }
  })
})
