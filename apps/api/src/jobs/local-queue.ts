import { CancelRequested, ShutdownRequested } from './interrupts.js'
import type { CancelOutcome, JobExecutor, JobQueue } from './job-queue.js'

export interface LocalQueueOptions {
  execute: JobExecutor
  /** Jobs run at once; the rest wait, first in first out. */
  concurrency: number
  onError?: (err: unknown, jobId: string) => void
}

/** The in-process queue: FIFO, bounded concurrency, each running job owning an AbortController. */
export function createLocalQueue(
  options: LocalQueueOptions,
): JobQueue & { readonly size: number; readonly active: number } {
  const waiting: string[] = []
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>()
  let stopped = false

  const pump = () => {
    while (!stopped && running.size < options.concurrency && waiting.length > 0) {
      const jobId = waiting.shift()!
      const controller = new AbortController()
      const done = options
        .execute(jobId, controller.signal)
        .catch((err) => options.onError?.(err, jobId))
        .finally(() => {
          running.delete(jobId)
          pump()
        })
      running.set(jobId, { controller, done })
    }
  }

  return {
    get size() {
      return waiting.length
    },
    get active() {
      return running.size
    },
    async enqueue(jobId) {
      if (stopped) throw new Error('the queue is stopped')
      if (running.has(jobId) || waiting.includes(jobId)) return
      waiting.push(jobId)
      pump()
    },
    async cancel(jobId): Promise<CancelOutcome> {
      const at = waiting.indexOf(jobId)
      if (at >= 0) {
        waiting.splice(at, 1)
        return 'queued'
      }
      const job = running.get(jobId)
      if (!job) return 'unknown'
      job.controller.abort(new CancelRequested())
      return 'running'
    },
    async stop() {
      stopped = true
      waiting.length = 0
      const jobs = [...running.values()]
      for (const job of jobs) job.controller.abort(new ShutdownRequested())
      await Promise.all(jobs.map((j) => j.done))
    },
  }
}
