import { isTerminalEvent } from '@inkflow/shared'
import type { EventLog } from '../store/event-log.js'
import type { Metrics } from './metrics.js'

const TERMINAL_STATUS = {
  'job.completed': 'completed',
  'job.failed': 'failed',
  'job.cancelled': 'cancelled',
} as const

/**
 * Wraps an event log so appends are counted, and terminal events count finished jobs and
 * their duration (from the `job.queued` time the log holds).
 */
export function instrumentEventLog(log: EventLog, metrics: Metrics): EventLog {
  const append: EventLog['append'] = async (...args) => {
    const event = await log.append(...args)
    metrics.eventsAppended.inc({ type: event.type })
    if (event.type === 'job.queued') metrics.jobsCreated.inc()
    if (isTerminalEvent(event)) {
      const status = TERMINAL_STATUS[event.type as keyof typeof TERMINAL_STATUS]
      metrics.jobsFinished.inc({ status })
      const [first] = await log.read(event.jobId, 0, 1).catch(() => [])
      if (first)
        metrics.jobDuration.observe(
          { status },
          (Date.parse(event.ts) - Date.parse(first.ts)) / 1000,
        )
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
