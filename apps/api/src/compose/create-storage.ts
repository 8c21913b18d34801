import type { Redis, RedisOptions } from 'ioredis'
import type { EventLog } from '../events/event-log.js'
import type { FinishStore } from '../jobs/finish-store.js'
import type { JobStore } from '../jobs/job-store.js'
import type { SpendLedger } from '../jobs/spend-ledger.js'
import { redactUrl } from '../lib/redact-secrets.js'
import { createMemoryEventLog } from '../store/memory/memory-event-log.js'
import { createMemoryFinishStore } from '../store/memory/memory-finish-store.js'
import { createMemoryJobStore } from '../store/memory/memory-job-store.js'
import { createMemorySpendLedger } from '../store/memory/memory-spend-ledger.js'
import { openRedisStorage, type RedisStorageOptions } from '../store/redis/open-redis-storage.js'
import type { RedisConnectionLog } from '../store/redis/redis-connection-log.js'
import { openSqliteStorage } from '../store/sqlite/open-sqlite-storage.js'

/** The adapters `STORE_URL` names, opened. */
export interface Storage {
  /** Which adapter family this is; `redis` also runs the queue and shared rate limits. */
  kind: 'memory' | 'sqlite' | 'redis'
  jobs: JobStore
  events: EventLog
  /** Ends a job: its record and its terminal event in one write (`jobs/finish-store.ts`). */
  finishes: FinishStore
  /** Model tokens spent per client per day, in the same store (shared in `redis` mode). */
  spend: SpendLedger
  /**
   * Whether an error of these adapters is a fault that may pass (a full disk, a busy file,
   * Redis away): writers wait it out rather than fail.
   */
  isTransient(err: unknown): boolean
  /** `redis` only: where it connects, for the queue and rate limits built on the same server. */
  redis?: {
    target: RedisOptions
    commands: Redis
    keyPrefix: string
    instanceName: string
    /** Logs each connection's losses and returns once per change (BullMQ's too). */
    connections: RedisConnectionLog
  }
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
    const finishes = createMemoryFinishStore(jobs, events)
    const spend = createMemorySpendLedger()
    const isTransient = () => false
    return { jobs, events, finishes, spend, kind: 'memory', isTransient, close: async () => {} }
  }
  if (storeUrl.startsWith('sqlite:')) return openSqliteStorage(storeUrl.slice('sqlite:'.length))
  if (/^rediss?:\/\//.test(storeUrl)) return openRedisStorage(storeUrl, options.redis)
  throw new Error(
    `STORE_URL ${redactUrl(storeUrl)} is not supported: use memory, sqlite:<path> or redis://host:port`,
  )
}
