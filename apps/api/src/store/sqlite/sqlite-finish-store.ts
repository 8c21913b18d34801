import { EventLogFencedError } from '../../events/event-log.js'
import { endsRun, type FinishStore } from '../../jobs/finish-store.js'
import { type CreateJobResult, JobFencedError } from '../../jobs/job-store.js'
import type { SqliteEventLog } from './sqlite-event-log.js'
import type { SqliteJobStore } from './sqlite-job-store.js'

/** Thrown inside the savepoint so that an idempotent repeat appends no event. */
class Repeated extends Error {}

/**
 * `FinishStore` on SQLite: the job's update and the terminal event's insert run in one
 * savepoint of the write queue's transaction, so they commit together whatever else the
 * batch holds, and a crash before the commit loses both.
 */
export function createSqliteFinishStore(jobs: SqliteJobStore, events: SqliteEventLog): FinishStore {
  return {
    async create(input, event) {
      let result: CreateJobResult | undefined
      try {
        await events.appendWith(event, {}, () => {
          result = jobs.createInWrite(input)
          // An idempotent repeat: nothing to append, and nothing was written.
          if (!result.created) throw new Repeated()
        })
      } catch (err) {
        if (!(err instanceof Repeated)) throw err
      }
      return result!
    },
    async finish(event, patch, options = {}) {
      if (!endsRun(event)) throw new TypeError(`${event.type} does not end a run`)
      try {
        return await events.appendWith(event, { seq: options.seq }, () => {
          jobs.updateInWrite(event.jobId, patch, {
            attempt: options.attempt,
            status: options.status,
          })
        })
      } catch (err) {
        if (err instanceof JobFencedError) throw new EventLogFencedError(err.jobId, err.attempt)
        throw err
      }
    },
  }
}
