import { EventLogFencedError } from '../../events/event-log.js'
import { endsRun, type FinishStore } from '../../jobs/finish-store.js'
import { JobFencedError } from '../../jobs/job-store.js'
import type { MemoryEventLog } from './memory-event-log.js'
import type { MemoryJobStore } from './memory-job-store.js'

/**
 * `FinishStore` on the memory adapters: the update and the append in one synchronous step.
 * The update goes first (it throws for an unknown job or a fenced writer); if the append
 * then refuses (a closed log, another seq), the update is undone before anyone can look.
 */
export function createMemoryFinishStore(jobs: MemoryJobStore, events: MemoryEventLog): FinishStore {
  return {
    async create(input, event) {
      const result = jobs.createNow(input)
      if (result.created) events.appendNow(event, {})
      return result
    },
    async finish(event, patch, options = {}) {
      if (!endsRun(event)) throw new TypeError(`${event.type} does not end a run`)
      let undo: () => void
      try {
        undo = jobs.updateNow(event.jobId, patch, {
          attempt: options.attempt,
          status: options.status,
        }).undo
      } catch (err) {
        if (err instanceof JobFencedError) throw new EventLogFencedError(err.jobId, err.attempt)
        throw err
      }
      try {
        return events.appendNow(event, { seq: options.seq })
      } catch (err) {
        undo()
        throw err
      }
    },
  }
}
