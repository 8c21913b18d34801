import { closeRedisClient, createRedisClient, parseRedisUrl } from './redis-connection.js'
import { createRedisEventLog } from './redis-event-log.js'
import { isTransientRedisError } from './redis-faults.js'
import { createRedisFinishStore } from './redis-finish-store.js'
import { createRedisJobStore } from './redis-job-store.js'
import { createRedisKeys } from './redis-keys.js'
import { createRedisSpendLedger } from './redis-spend-ledger.js'

export interface RedisStorageOptions {
  /** Prefix of every key, BullMQ's included. Default `inkflow`. */
  keyPrefix?: string
  /** Names this process's connections in `CLIENT LIST`. Default `pid-<pid>`. */
  instanceName?: string
  onError?: (err: unknown) => void
}

/**
 * The `redis` storage: job store, event log, finish store and spend ledger on one shared command
 * connection, and one blocking connection for all followed streams (opened on the first
 * subscribe). The connection and key prefix are handed back for what else runs on this
 * Redis (the BullMQ queue, the rate-limit counters), which the composition root builds.
 */
export async function openRedisStorage(url: string, options: RedisStorageOptions = {}) {
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

  return {
    jobs,
    events,
    finishes: createRedisFinishStore(redis, keys),
    spend: createRedisSpendLedger(redis, keys.prefix),
    kind: 'redis' as const,
    isTransient: isTransientRedisError,
    /** Where this storage connects, and its shared command connection. */
    redis: { target, commands: redis, keyPrefix: keys.prefix, instanceName },
    async close() {
      await events.close()
      await closeRedisClient(redis)
    },
  }
}
