import { CancelRequested, ShutdownRequested } from './interrupts.js'
import type { CancelOutcome, JobExecutor, JobQueue } from './job-queue.js'

export interface LocalQueueOptions {
  execute: JobExecutor
  /** Jobs run at once; the rest wait, first in first out. */
  concurrency: number
  onError?: (err: unknown, jobId: string) => void
}

/** The in-process queue: FIFO, bounded concurrency, each running job owning an AbortController. */
export function createLocalQueue(options: LocalQueueOptions): JobQueue {
  // A Set keeps FIFO order (insertion order) and makes the duplicate check O(1): an array's
  // `includes` made each enqueue scan every waiting job, O(n²) under a burst of submissions.
  const waiting = new Set<string>()
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>()
  // Jobs queued again while their run was still ending (one that parked for its outline
  // review and was approved at once): they run again once that run is over.
  const again = new Set<string>()
  let stopped = false

  const pump = () => {
    while (!stopped && running.size < options.concurrency && waiting.size > 0) {
      const jobId = waiting.values().next().value!
      waiting.delete(jobId)
      const controller = new AbortController()
      const done = options
        .execute(jobId, controller.signal)
        .catch((err) => options.onError?.(err, jobId))
        .finally(() => {
          running.delete(jobId)
          if (again.delete(jobId) && !stopped) waiting.add(jobId)
          pump()
        })
      running.set(jobId, { controller, done })
    }
  }

  const enqueue = async (jobId: string) => {
    if (stopped) throw new Error('the queue is stopped')
    if (waiting.has(jobId)) return
    if (running.has(jobId)) {
      again.add(jobId)
      return
    }
    waiting.add(jobId)
    pump()
  }

  return {
    enqueue,
    requeue: enqueue,
    async depth() {
      return waiting.size
    },
    async cancel(jobId): Promise<CancelOutcome> {
      if (waiting.delete(jobId)) {
        return 'queued'
      }
      const job = running.get(jobId)
      if (!job) return 'unknown'
      job.controller.abort(new CancelRequested())
      return 'running'
    },
    async stop() {
      stopped = true
      waiting.clear()
      again.clear()
      const jobs = [...running.values()]
      for (const job of jobs) job.controller.abort(new ShutdownRequested())
      await Promise.all(jobs.map((j) => j.done))
    },
  }
}
