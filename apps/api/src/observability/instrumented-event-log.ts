import { isTerminalEvent } from '@inkflow/shared'
import type { EventLog } from '../events/event-log.js'
import type { Metrics } from './metrics.js'

const TERMINAL_STATUS = {
  'job.completed': 'completed',
  'job.failed': 'failed',
  'job.cancelled': 'cancelled',
} as const

/** `job.queued` times kept for jobs queued here; past this, the oldest are read back instead. */
const QUEUED_TIMES_KEPT = 10_000

/**
 * An event log that counts appends, and counts finished jobs and their duration at their
 * terminal event (from the job's `job.queued` time: remembered when it was appended here,
 * else read from the log — another instance queued it, or it ran before a restart). Every
 * other call goes straight to `log`.
 */
export function instrumentEventLog(log: EventLog, metrics: Metrics): EventLog {
  const queuedAt = new Map<string, string>()
  return {
    async append(event, options) {
      const stored = await log.append(event, options)
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
    },
    read: (jobId, afterSeq, limit) => log.read(jobId, afterSeq, limit),
    remove: (jobIds) => log.remove(jobIds),
    subscribe: (jobId, listener) => log.subscribe(jobId, listener),
    close: () => log.close(),
  }
}
