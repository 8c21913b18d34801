import { closeRedisClient, createRedisClient, parseRedisUrl } from './redis-connection.js'
import { type ConnectionLogger, createRedisConnectionLog } from './redis-connection-log.js'
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
  /** Hears errors that are not a connection lost (a malformed stream entry…). */
  onError?: (err: unknown) => void
  /** Where each connection's losses and returns are logged, once per change. Default: nowhere. */
  logger?: ConnectionLogger
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
  const connections = createRedisConnectionLog(options.logger ?? { warn() {}, info() {} })
  const redis = createRedisClient(target, name('commands'))
  connections.watch(redis, 'commands')
  try {
    await redis.ping()
  } catch (err) {
    redis.disconnect()
    throw err
  }
  const jobs = createRedisJobStore(redis, keys)
  const events = createRedisEventLog({
    redis,
    keys,
    onError: (err) => {
      // The follower's reads fail on every loop while Redis is away: its connection says so once.
      if (isTransientRedisError(err)) connections.lost('stream-follower', err)
      else options.onError?.(err)
    },
    openBlocking: () => {
      // A blocking read may wait on a reconnect rather than fail after a few retries.
      const blocking = createRedisClient(target, name('stream-follower'), {
        maxRetriesPerRequest: null,
      })
      connections.watch(blocking, 'stream-follower')
      return blocking
    },
  })

  return {
    jobs,
    events,
    finishes: createRedisFinishStore(redis, keys, jobs),
    spend: createRedisSpendLedger(redis, keys.prefix),
    kind: 'redis' as const,
    isTransient: isTransientRedisError,
    /** Where this storage connects, and its shared command connection. */
    redis: { target, commands: redis, keyPrefix: keys.prefix, instanceName, connections },
    async close() {
      await events.close()
      await closeRedisClient(redis)
    },
  }
}
