import { isTerminalEvent, type ProgressEvent } from '@inkflow/shared'
import {
  type AppendOptions,
  DEFAULT_READ_LIMIT,
  type EventLog,
  EventLogClosedError,
  EventLogSeqError,
  sequence,
  type UnsequencedEvent,
} from '../../events/event-log.js'
import { createListenerRegistry } from '../listener-registry.js'

/** The memory event log, with the synchronous append its `FinishStore` makes one step with an update. */
export interface MemoryEventLog extends EventLog {
  /** `append`, at once: throws (storing nothing) or stores the event and tells the listeners. */
  appendNow(input: UnsequencedEvent, options?: AppendOptions): ProgressEvent
}

/** In-process `EventLog`: an array per job, listeners notified synchronously after append. */
export function createMemoryEventLog(): MemoryEventLog {
  const logs = new Map<string, ProgressEvent[]>()
  const listeners = createListenerRegistry()

  const appendNow = (input: UnsequencedEvent, options: AppendOptions = {}): ProgressEvent => {
    const log = logs.get(input.jobId) ?? []
    const last = log.at(-1)
    if (last && isTerminalEvent(last)) throw new EventLogClosedError(input.jobId)
    const { seq } = options
    if (seq !== undefined && seq !== log.length + 1) {
      throw new EventLogSeqError(input.jobId, seq, log.length + 1)
    }
    const event = sequence(input, log.length + 1)
    log.push(event)
    logs.set(input.jobId, log)
    listeners.notify(event)
    return event
  }

  return {
    async append(input, options) {
      return appendNow(input, options)
    },

    appendNow,

    async read(jobId, afterSeq, limit = DEFAULT_READ_LIMIT) {
      const log = logs.get(jobId) ?? []
      // seq n lives at index n - 1, so the slice starts right after `afterSeq`.
      return log.slice(Math.max(0, afterSeq), Math.max(0, afterSeq) + limit)
    },

    async remove(jobIds) {
      for (const jobId of jobIds) logs.delete(jobId)
    },

    subscribe: (jobId, listener) => listeners.add(jobId, listener),

    async close() {},
  }
}
