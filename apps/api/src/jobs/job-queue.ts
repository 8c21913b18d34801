/** Where a cancel found the job. */
export type CancelOutcome = 'queued' | 'running' | 'unknown'

/**
 * Hands queued jobs to workers with a concurrency limit. The in-process queue serves the
 * `memory` and `sqlite` modes; BullMQ serves `redis`.
 */
export interface JobQueue {
  enqueue(jobId: string): Promise<void>
  /**
   * Queues again a job whose earlier run stopped without ending it (it parked for its
   * outline review, which was approved). That run may still be finishing: the job runs
   * once more after it, never alongside it, and is never dropped.
   */
  requeue(jobId: string): Promise<void>
  /** How many jobs wait to start (not counting running ones). */
  depth(): Promise<number>
  /** Removes a waiting job, or aborts a running one (which then ends with `job.cancelled`). */
  cancel(jobId: string): Promise<CancelOutcome>
  /** Stops taking jobs, interrupts running ones so they resume later, and waits for them. */
  stop(): Promise<void>
}

/** Runs one job to its end; the signal aborts it with a `CancelRequested` or `ShutdownRequested`. */
export type JobExecutor = (jobId: string, signal: AbortSignal) => Promise<void>
