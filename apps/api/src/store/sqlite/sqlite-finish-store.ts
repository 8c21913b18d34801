import { EventLogFencedError } from '../../events/event-log.js'
import { endsRun, type FinishStore } from '../../jobs/finish-store.js'
import { JobFencedError } from '../../jobs/job-store.js'
import type { SqliteEventLog } from './sqlite-event-log.js'
import type { SqliteJobStore } from './sqlite-job-store.js'

/**
 * `FinishStore` on SQLite: the job's update and the terminal event's insert run in one
 * savepoint of the write queue's transaction, so they commit together whatever else the
 * batch holds, and a crash before the commit loses both.
 */
export function createSqliteFinishStore(jobs: SqliteJobStore, events: SqliteEventLog): FinishStore {
  return {
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
