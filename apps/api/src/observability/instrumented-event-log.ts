import { isTerminalEvent, type ProgressEvent } from '@inkflow/shared'
import type { EventLog } from '../events/event-log.js'
import type { FinishStore } from '../jobs/finish-store.js'
import type { Metrics } from './metrics.js'

const TERMINAL_STATUS = {
  'job.completed': 'completed',
  'job.failed': 'failed',
  'job.cancelled': 'cancelled',
} as const

/** `job.queued` times kept for jobs queued here; past this, the oldest are read back instead. */
const QUEUED_TIMES_KEPT = 10_000

/**
 * The event log and the finish store, counting what they store: every event, and finished
 * jobs and their duration at their terminal event (from the job's `job.queued` time:
 * remembered when it was appended here, else read from the log — another instance queued
 * it, or it ran before a restart). Every other call goes straight to the adapter.
 */
export function instrumentEvents(
  storage: { events: EventLog; finishes: FinishStore },
  metrics: Metrics,
): { events: EventLog; finishes: FinishStore } {
  const log = storage.events
  const queuedAt = new Map<string, string>()

  const count = async (stored: ProgressEvent) => {
    metrics.eventsAppended.inc({ type: stored.type })
    if (stored.type === 'job.queued') {
      metrics.jobsCreated.inc()
      queuedAt.set(stored.jobId, stored.ts)
      if (queuedAt.size > QUEUED_TIMES_KEPT) queuedAt.delete(queuedAt.keys().next().value!)
    }
    if (isTerminalEvent(stored)) {
      const status = TERMINAL_STATUS[stored.type as keyof typeof TERMINAL_STATUS]
      metrics.jobsFinished.inc({ status })
      const kept = queuedAt.get(stored.jobId)
      queuedAt.delete(stored.jobId)
      const since = kept ?? (await log.read(stored.jobId, 0, 1).catch(() => []))[0]?.ts
      if (since !== undefined) {
        const seconds = (Date.parse(stored.ts) - Date.parse(since)) / 1000
        metrics.jobDuration.observe({ status }, seconds)
      }
    }
    return stored
  }

  return {
    events: {
      append: async (event, options) => count(await log.append(event, options)),
      read: (jobId, afterSeq, limit) => log.read(jobId, afterSeq, limit),
      remove: (jobIds) => log.remove(jobIds),
      subscribe: (jobId, listener) => log.subscribe(jobId, listener),
      close: () => log.close(),
    },
    finishes: {
      create: async (input, event) => {
        const result = await storage.finishes.create(input, event)
        if (result.created) await count({ ...event, seq: 1 } as ProgressEvent)
        return result
      },
      finish: async (event, patch, options) =>
        count(await storage.finishes.finish(event, patch, options)),
    },
  }
}
