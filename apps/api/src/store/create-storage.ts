import type { Store as RateLimitStore } from 'express-rate-limit'
import type { Logger } from 'pino'
import type { JobExecutor, JobQueue } from '../jobs/job-queue.js'
import type { EventLog } from './event-log.js'
import type { JobStore } from './job-store.js'
import { createMemoryEventLog } from './memory/memory-event-log.js'
import { createMemoryJobStore } from './memory/memory-job-store.js'
import { openRedisStorage, type RedisStorageOptions } from './redis/open-redis-storage.js'
import { openSqliteStorage } from './sqlite/open-sqlite-storage.js'

/** What the runtime hands a storage that brings its own queue. */
export interface QueueFactoryOptions {
  execute: JobExecutor
  /** Jobs run at once by this process. */
  concurrency: number
  /** False for `ROLE=api`: the process only adds and cancels jobs, never runs them. */
  runJobs: boolean
  logger: Logger
}

export interface Storage {
  jobs: JobStore
  events: EventLog
  /** Which adapter family this is; `redis` also brings its own queue. */
  kind: 'memory' | 'sqlite' | 'redis'
  /** The queue that comes with the storage (`redis`: BullMQ); absent: the in-process one. */
  createQueue?: (options: QueueFactoryOptions) => JobQueue
  /** Rate-limit counters shared by every instance (`redis`); absent: in-process counters. */
  rateLimitStore?: RateLimitStore
  close(): Promise<void>
}

/** Opens the adapters named by `STORE_URL`: `memory`, `sqlite:<path>` or `redis://host:port`. */
export async function createStorage(
  storeUrl: string,
  options: { redis?: RedisStorageOptions } = {},
): Promise<Storage> {
  if (storeUrl === 'memory') {
    const jobs = createMemoryJobStore()
    const events = createMemoryEventLog()
    return { jobs, events, kind: 'memory', close: async () => {} }
  }
  if (storeUrl.startsWith('sqlite:')) return openSqliteStorage(storeUrl.slice('sqlite:'.length))
  if (/^rediss?:\/\//.test(storeUrl)) return openRedisStorage(storeUrl, options.redis)
  throw new Error(`STORE_URL ${storeUrl} is not supported yet; use STORE_URL=memory`)
}
