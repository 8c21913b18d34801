import { isTerminalEvent } from '@inkflow/shared'
import type { EventLog } from '../store/event-log.js'
import type { Metrics } from './metrics.js'

const TERMINAL_STATUS = {
  'job.completed': 'completed',
  'job.failed': 'failed',
  'job.cancelled': 'cancelled',
} as const

/** `job.queued` times kept for jobs queued here; past this, the oldest are read back instead. */
const QUEUED_TIMES_KEPT = 10_000

/**
 * Wraps an event log so appends are counted, and terminal events count finished jobs and
 * their duration (from the job's `job.queued` time: remembered when it was appended here,
 * else read from the log — another instance queued it, or it ran before a restart).
 */
export function instrumentEventLog(log: EventLog, metrics: Metrics): EventLog {
  const queuedAt = new Map<string, string>()
  const append: EventLog['append'] = async (...args) => {
    const event = await log.append(...args)
    metrics.eventsAppended.inc({ type: event.type })
    if (event.type === 'job.queued') {
      metrics.jobsCreated.inc()
      queuedAt.set(event.jobId, event.ts)
      if (queuedAt.size > QUEUED_TIMES_KEPT) queuedAt.delete(queuedAt.keys().next().value!)
    }
    if (isTerminalEvent(event)) {
      const status = TERMINAL_STATUS[event.type as keyof typeof TERMINAL_STATUS]
      metrics.jobsFinished.inc({ status })
      const kept = queuedAt.get(event.jobId)
      queuedAt.delete(event.jobId)
      const since = kept ?? (await log.read(event.jobId, 0, 1).catch(() => []))[0]?.ts
      if (since !== undefined)
        metrics.jobDuration.observe({ status }, (Date.parse(event.ts) - Date.parse(since)) / 1000)
    }
    return event
  }
  // A proxy keeps every other method (and any an adapter adds) working, class or object.
  return new Proxy(log, {
    get(target, prop) {
      if (prop === 'append') return append
      const value = Reflect.get(target, prop)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
