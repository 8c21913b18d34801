import { isTerminalEvent } from '@inkflow/shared'
import type { Redis } from 'ioredis'
import { z } from 'zod/mini'
import {
  EventLogClosedError,
  EventLogFencedError,
  EventLogSeqError,
  sequence,
} from '../../events/event-log.js'
import { endsRun, type FinishStore } from '../../jobs/finish-store.js'
import { JobNotFoundError } from '../../jobs/job-store.js'
import { APPEND_CLOSED, APPEND_FENCED, APPEND_SEQ } from './append-script.js'
import { FINISH_NO_JOB, finishJobScript } from './finish-script.js'
import { encodePatch, type RedisJobStore } from './redis-job-store.js'
import type { RedisKeys } from './redis-keys.js'

const SeqSchema = z.number().check(z.int(), z.positive())

/**
 * `FinishStore` on Redis: one Lua script (`finish-script.ts`) writes the job hash and the
 * run's last stream entry, fenced by the writer's attempt, so no worker death, zombie or
 * concurrent writer can leave one without the other.
 */
export function createRedisFinishStore(
  redis: Redis,
  keys: RedisKeys,
  jobs: RedisJobStore,
): FinishStore {
  return {
    create: (input, event) => jobs.createWithEvent(input, event),
    async finish(event, patch, options = {}) {
      if (!endsRun(event)) throw new TypeError(`${event.type} does not end a run`)
      const { jobId } = event
      const { attempt, seq: expected, status } = options
      let seq: number
      try {
        const reply = await finishJobScript(
          redis,
          [
            keys.events(jobId),
            keys.eventsMeta(jobId),
            keys.job(jobId),
            keys.jobsUnfinished,
            keys.jobsFinished,
            keys.jobsWaiting,
          ],
          [
            JSON.stringify(event),
            attempt ?? '',
            expected ?? '',
            jobId,
            status ?? '',
            isTerminalEvent(event) ? '1' : '0',
            ...encodePatch(patch),
          ],
        )
        seq = SeqSchema.parse(reply)
      } catch (err) {
        const message = err instanceof Error ? err.message : ''
        if (message.includes(FINISH_NO_JOB)) throw new JobNotFoundError(jobId)
        if (message.includes(APPEND_FENCED) && (attempt !== undefined || status !== undefined)) {
          throw new EventLogFencedError(jobId, attempt ?? 0)
        }
        if (message.includes(APPEND_CLOSED)) throw new EventLogClosedError(jobId)
        const next = message.match(new RegExp(`${APPEND_SEQ} (\\d+)`))?.[1]
        if (next !== undefined && expected !== undefined) {
          throw new EventLogSeqError(jobId, expected, Number(next))
        }
        throw err
      }
      return sequence(event, seq)
    },
  }
}
