import type { FinishJob } from './finish-job.js'
import type { JobStore } from './job-store.js'
import { createPeriodicSweep } from './periodic-sweep.js'

/** The `job.cancelled` reason of a job left waiting for its review past `REVIEW_TIMEOUT`. */
export const REVIEW_EXPIRED = 'outline review expired'

export interface ReviewExpirySweepOptions {
  jobs: JobStore
  finish: FinishJob
  /** `REVIEW_TIMEOUT`: sets the default period. */
  reviewTimeoutMs: number
  /** Time between sweeps. Default a quarter of the timeout, kept between 100 ms and 1 min. */
  intervalMs?: number
  /** Hears a sweep that failed (the next one tries again). Default: ignored. */
  onError?: (err: unknown) => void
  /** Hears how many jobs a sweep ended, when it ended any. */
  onExpired?: (expired: number) => void
}

/**
 * Ends jobs left waiting for their outline review past the `expiresAt` their `job.waiting`
 * announced, with `job.cancelled` (`outline review expired`). It reads the store, so jobs
 * that were waiting before a restart expire too. Each end is fenced by the status `waiting`
 * (`finish-job.ts`): an approval or cancel that came first wins, and of several instances
 * sweeping the same store (`redis`) exactly one writes the end.
 */
export function createReviewExpirySweep(options: ReviewExpirySweepOptions) {
  const { jobs, finish, reviewTimeoutMs } = options
  const intervalMs = options.intervalMs ?? Math.min(60_000, Math.max(100, reviewTimeoutMs / 4))

  const sweepOnce = async (): Promise<number> => {
    const now = Date.now()
    let expired = 0
    for (const job of await jobs.listWaiting()) {
      // Every parked job has its expiry; a record without one counts from its parking.
      const expiresAt = job.reviewExpiresAt
        ? Date.parse(job.reviewExpiresAt)
        : Date.parse(job.updatedAt) + reviewTimeoutMs
      if (expiresAt > now) continue
      const outcome = { status: 'cancelled', reason: REVIEW_EXPIRED } as const
      const result = await finish(job.id, outcome, { progress: job.progress, status: 'waiting' })
      if (result === 'finished') expired++
    }
    if (expired > 0) options.onExpired?.(expired)
    return expired
  }

  return createPeriodicSweep({ sweepOnce, intervalMs, onError: options.onError })
}
