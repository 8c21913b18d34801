import type { EventLog } from '../events/event-log.js'
import type { JobStore } from './job-store.js'
import { createPeriodicSweep } from './periodic-sweep.js'

/** How long an idempotency key is honoured: 24 h. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 3_600_000

export interface RetentionSweepOptions {
  jobs: JobStore
  events: EventLog
  /** Finished jobs last updated longer ago than this are removed, with their events. */
  jobTtlMs: number
  /** Idempotency keys first used longer ago than this are forgotten. Default 24 h. */
  keyTtlMs?: number
  /** Time between sweeps. Default a tenth of `jobTtlMs`, kept between 1 s and 10 min. */
  intervalMs?: number
  /** Jobs removed per store call; the sweep yields to the event loop between calls. Default 200. */
  batchSize?: number
  /** Hears a sweep that failed (the next one tries again). Default: ignored. */
  onError?: (err: unknown) => void
  /** Hears how many jobs a sweep removed, when it removed any. */
  onSwept?: (removed: number) => void
}

/**
 * Retention: periodically removes finished jobs older than the TTL (by `updatedAt`), then
 * their events, and forgets old idempotency keys. Jobs go before their events, so a crash
 * in between leaves unreachable events rather than a job whose log vanished.
 */
export function createRetentionSweep(options: RetentionSweepOptions) {
  const { jobs, events, jobTtlMs } = options
  const keyTtlMs = options.keyTtlMs ?? IDEMPOTENCY_KEY_TTL_MS
  const intervalMs = options.intervalMs ?? Math.min(600_000, Math.max(1000, jobTtlMs / 10))
  const batchSize = options.batchSize ?? 200

  const sweepOnce = async (): Promise<number> => {
    const now = Date.now()
    const cutoff = new Date(now - jobTtlMs).toISOString()
    let removed = 0
    for (;;) {
      const ids = await jobs.removeFinished(cutoff, batchSize)
      if (ids.length > 0) await events.remove(ids)
      removed += ids.length
      if (ids.length < batchSize) break
      await new Promise((resolve) => setImmediate(resolve))
    }
    await jobs.expireIdempotencyKeys(new Date(now - keyTtlMs).toISOString())
    if (removed > 0) options.onSwept?.(removed)
    return removed
  }

  return createPeriodicSweep({ sweepOnce, intervalMs, onError: options.onError })
}
