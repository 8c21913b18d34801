import type { Redis } from 'ioredis'
import {
  ATTRIBUTION_KEEP_DAYS,
  SPEND_KEEP_DAYS,
  type SpendLedger,
  utcDay,
} from '../../jobs/spend-ledger.js'

const DAY_S = 86_400

/**
 * The spend ledger in Redis, shared by every instance and worker: `<prefix>:spend:job:<id>`
 * holds a job's client, `<prefix>:spend:<day>:<client>` a client's tokens that UTC day
 * (`INCRBY`, so concurrent adds all count). Both expire on their own.
 */
export function createRedisSpendLedger(redis: Redis, prefix: string): SpendLedger {
  const jobKey = (jobId: string) => `${prefix}:spend:job:${jobId}`
  const dayKey = (client: string, at: Date) => `${prefix}:spend:${utcDay(at)}:${client}`
  return {
    async attribute(jobId, client) {
      await redis.set(jobKey(jobId), client, 'EX', ATTRIBUTION_KEEP_DAYS * DAY_S)
    },
    async add(jobId, tokens, at = new Date()) {
      if (tokens <= 0) return
      const client = await redis.get(jobKey(jobId))
      if (client === null) return
      const key = dayKey(client, at)
      await redis
        .multi()
        .incrby(key, tokens)
        .expire(key, (SPEND_KEEP_DAYS + 1) * DAY_S)
        .exec()
    },
    async spent(client, at = new Date()) {
      return Number((await redis.get(dayKey(client, at))) ?? 0)
    },
    async spentByClientOf(jobId, at = new Date()) {
      const client = await redis.get(jobKey(jobId))
      return client === null ? 0 : Number((await redis.get(dayKey(client, at))) ?? 0)
    },
  }
}
