import { type RedisReply, RedisStore } from 'rate-limit-redis'
import { createBullmqQueue } from '../../jobs/bullmq-queue.js'
import type { QueueFactoryOptions, Storage } from '../create-storage.js'
import { EventLogClosedError, EventLogFencedError } from '../event-log.js'
import { closeRedisClient, createRedisClient, parseRedisUrl } from './redis-connection.js'
import { createRedisEventLog } from './redis-event-log.js'
import { createRedisJobStore } from './redis-job-store.js'
import { createRedisKeys } from './redis-keys.js'

export interface RedisStorageOptions {
  /** Prefix of every key, BullMQ's included. Default `inkflow`. */
  keyPrefix?: string
  /** Names this process's connections in `CLIENT LIST`. Default `pid-<pid>`. */
  instanceName?: string
  /** BullMQ lock duration and stalled-check period. Default 5000 ms. */
  stallIntervalMs?: number
  onError?: (err: unknown) => void
}

/**
 * The `redis` storage: job store and event log on one shared command connection, one
 * blocking connection for all followed streams (opened on the first subscribe), and a
 * BullMQ queue for the runtime.
 */
export async function openRedisStorage(
  url: string,
  options: RedisStorageOptions = {},
): Promise<Storage> {
  const target = parseRedisUrl(url)
  const keys = createRedisKeys(options.keyPrefix ?? 'inkflow')
  const instanceName = options.instanceName ?? `pid-${process.pid}`
  const name = (purpose: string) => `${keys.prefix}:${instanceName}:${purpose}`
  const redis = createRedisClient(target, name('commands'))
  redis.on('error', (err) => options.onError?.(err))
  await redis.ping()
  const jobs = createRedisJobStore(redis, keys)
  const events = createRedisEventLog({
    redis,
    keys,
    onError: options.onError,
    openBlocking: () => {
      // A blocking read may wait on a reconnect rather than fail after a few retries.
      const blocking = createRedisClient(target, name('stream-follower'), {
        maxRetriesPerRequest: null,
      })
      blocking.on('error', (err) => options.onError?.(err))
      return blocking
    },
  })

  /** Ends a job BullMQ gave up on, so its streams end too. */
  const recordFailure = async (jobId: string) => {
    const job = await jobs.get(jobId)
    if (!job || job.status === 'completed' || job.status === 'cancelled') return
    const error = {
      code: 'internal_error',
      message: 'the job failed unexpectedly',
      retryable: true,
    }
    await jobs.update(jobId, { status: 'failed', error })
    await events
      .append({
        type: 'job.failed',
        jobId,
        ts: new Date().toISOString(),
        progress: job.progress,
        error,
      })
      .catch((err) => {
        if (!(err instanceof EventLogClosedError) && !(err instanceof EventLogFencedError))
          throw err
      })
  }

  return {
    jobs,
    events,
    kind: 'redis',
    // Every API instance counts job creations in Redis, so the limit holds across instances.
    rateLimitStore: new RedisStore({
      prefix: `${keys.prefix}:rate-limit:`,
      sendCommand: (command: string, ...args: string[]) =>
        redis.call(command, ...args) as Promise<RedisReply>,
    }),
    createQueue: (queue: QueueFactoryOptions) =>
      createBullmqQueue({
        connection: target,
        commands: redis,
        keys,
        instanceName,
        logger: queue.logger,
        worker: queue.runJobs
          ? {
              execute: queue.execute,
              concurrency: queue.concurrency,
              stallIntervalMs: options.stallIntervalMs ?? 5000,
              onFinalFailure: recordFailure,
            }
          : undefined,
      }),
    async close() {
      await events.close()
      await closeRedisClient(redis)
    },
  }
}
