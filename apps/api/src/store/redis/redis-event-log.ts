import { isTerminalEvent, type ProgressEvent } from '@inkflow/shared'
import type { Redis } from 'ioredis'
import { z } from 'zod/mini'
import {
  type AppendOptions,
  DEFAULT_READ_LIMIT,
  type EventLog,
  EventLogClosedError,
  EventLogFencedError,
  EventLogSeqError,
  sequence,
  type UnsequencedEvent,
} from '../../events/event-log.js'
import { APPEND_CLOSED, APPEND_FENCED, APPEND_SEQ, appendEventScript } from './append-script.js'
import type { RedisKeys } from './redis-keys.js'
import { createStreamFollower } from './stream-follower.js'

const EntriesSchema = z.array(z.tuple([z.string(), z.array(z.string())]))
const SeqSchema = z.number().check(z.int(), z.positive())

/**
 * A stream entry back to an event: the body is stored without seq, the entry id is `<seq>-0`.
 * Bodies are JSON the append script stored from a typed event, under this deployment's
 * key prefix, so they are trusted as read back (as the SQLite adapter trusts its rows):
 * every instance decodes every entry of every followed job, and validating each one with
 * the schema cost more than the rest of the decode.
 */
export function decodeStreamEntry(id: string, fields: string[]): ProgressEvent {
  const at = fields.indexOf('e')
  const body = at >= 0 ? fields[at + 1] : undefined
  if (body === undefined) throw new Error(`stream entry ${id} has no event`)
  return sequence(JSON.parse(body) as UnsequencedEvent, Number.parseInt(id, 10))
}

export interface RedisEventLogOptions {
  /** The shared command connection (appends, reads). */
  redis: Redis
  keys: RedisKeys
  /** Opens the one blocking connection the follower needs, on the first `subscribe`. */
  openBlocking: () => Redis
  onError?: (err: unknown) => void
}

/**
 * `EventLog` on Redis Streams, one stream per job. Appends go through one Lua script (seq,
 * closure and the attempt fence, atomically); subscriptions share one blocking XREAD loop
 * per process, however many streams are open.
 */
export function createRedisEventLog(options: RedisEventLogOptions): EventLog {
  const { redis, keys } = options
  const follower = createStreamFollower({
    commands: redis,
    openBlocking: options.openBlocking,
    streamKey: keys.events,
    decode: decodeStreamEntry,
    onError: options.onError,
  })

  return {
    async append(input: UnsequencedEvent, appendOptions: AppendOptions = {}) {
      const { attempt, seq: expected } = appendOptions
      let seq: number
      try {
        const reply = await appendEventScript(
          redis,
          [keys.events(input.jobId), keys.eventsMeta(input.jobId), keys.job(input.jobId)],
          [
            JSON.stringify(input),
            isTerminalEvent(input) ? '1' : '0',
            attempt ?? '',
            expected ?? '',
          ],
        )
        seq = SeqSchema.parse(reply)
      } catch (err) {
        const message = err instanceof Error ? err.message : ''
        if (message.includes(APPEND_CLOSED)) throw new EventLogClosedError(input.jobId)
        if (message.includes(APPEND_FENCED) && attempt !== undefined) {
          throw new EventLogFencedError(input.jobId, attempt)
        }
        const next = message.match(new RegExp(`${APPEND_SEQ} (\\d+)`))?.[1]
        if (next !== undefined && expected !== undefined) {
          throw new EventLogSeqError(input.jobId, expected, Number(next))
        }
        throw err
      }
      return sequence(input, seq)
    },

    async read(jobId, afterSeq, limit = DEFAULT_READ_LIMIT) {
      // Entry ids are exactly `<seq>-0`, so the range starts at the next seq.
      const reply = await redis.xrange(
        keys.events(jobId),
        `${Math.max(0, afterSeq) + 1}-0`,
        '+',
        'COUNT',
        limit,
      )
      return EntriesSchema.parse(reply).map(([id, fields]) => decodeStreamEntry(id, fields))
    },

    async remove(jobIds) {
      if (jobIds.length === 0) return
      await redis.del(...jobIds.flatMap((id) => [keys.events(id), keys.eventsMeta(id)]))
    },

    subscribe: (jobId, listener) => follower.subscribe(jobId, listener),

    close: () => follower.close(),
  }
}
