import type { JobError } from '@inkflow/shared'
import { type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq'
import type { RedisOptions } from 'ioredis'
import type { Logger } from 'pino'
import { z } from 'zod/mini'
import { sleep } from '../../lib/sleep.js'
import { UNEXPECTED_FAILURE } from '../finish-job.js'
import { CancelRequested, ShutdownRequested } from '../interrupts.js'
import type { JobExecutor } from '../job-queue.js'
import type { CancelChannel } from './bullmq-cancel.js'

/** What each BullMQ job carries: only the id; everything else lives in the job store. */
export const BullmqJobDataSchema = z.object({ jobId: z.string().check(z.minLength(1)) })

/** The worker's lock on the job expired (a long pause, say): another worker may own it now. */
export class LockLost extends Error {
  readonly code = 'lock_lost'
  constructor() {
    super('the worker lost its lock on the job')
  }
}

export interface BullmqWorkerOptions {
  queueName: string
  /** BullMQ's connection options; it opens its own two connections. */
  connection: RedisOptions
  prefix: string
  /** Names this worker in Redis (`CLIENT LIST`) and in BullMQ. */
  name: string
  execute: JobExecutor
  concurrency: number
  /** Lock duration and stalled-check period: a dead worker's job resumes within ~2× this. */
  stallIntervalMs: number
  /** Times a job may stall (its worker dies or freezes) and resume; then it fails. Default 5. */
  maxStalledCount?: number
  /** Longest `stop` waits for running jobs to hand back. Default 5000 ms. */
  stopTimeoutMs?: number
  cancels: CancelChannel
  /** The job failed for good (BullMQ gave up): record `error` so its streams end. */
  onFinalFailure: (jobId: string, error: JobError) => Promise<void>
  logger: Logger
}

/** The error of a job whose workers kept dying or freezing until BullMQ gave it up. */
export function workerLost(stalls: number): JobError {
  return {
    code: 'worker_lost',
    message: `the job was given up after its worker stopped responding ${stalls === 1 ? 'once' : `${stalls} times`}`,
    retryable: true,
  }
}

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise.then(() => true), sleep(ms).then(() => false)])

/**
 * Runs jobs from BullMQ. Each run owns an AbortController: a cancel (pub/sub or marker)
 * aborts it with `CancelRequested`; a stop or a lost lock interrupts it, and the job is
 * handed back to the queue so a worker resumes it from its checkpoint.
 */
export function startBullmqWorker(options: BullmqWorkerOptions) {
  const { logger, cancels, stopTimeoutMs = 5000, maxStalledCount = 5 } = options
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>()
  let stopping = false

  const processor = async (job: Job, token?: string) => {
    const { jobId } = BullmqJobDataSchema.parse(job.data)
    logger.info({ jobId, bullmqAttempt: job.attemptsMade + 1 }, 'job picked up')
    const controller = new AbortController()
    let settle = () => {}
    running.set(jobId, { controller, done: new Promise<void>((r) => (settle = r)) })
    let handBack = stopping
    try {
      if (!handBack) {
        if (await cancels.isRequested(jobId)) controller.abort(new CancelRequested())
        await options.execute(jobId, controller.signal)
        const reason: unknown = controller.signal.reason
        handBack = controller.signal.aborted && !(reason instanceof CancelRequested)
      }
      if (handBack && token) {
        await job.moveToWait(token).catch((err) => logger.warn({ err, jobId }, 'hand-back failed'))
      }
    } catch (err) {
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        // Recorded before BullMQ marks the job failed: a death in between retries the job,
        // whose run then finds it ended.
        logger.error({ err, jobId }, 'the job failed on its last try; it is given up')
        await options
          .onFinalFailure(jobId, UNEXPECTED_FAILURE)
          .catch((e) => logger.error({ err: e, jobId }, 'could not record the failure'))
      }
      throw err // BullMQ retries it with backoff while attempts remain
    } finally {
      running.delete(jobId)
      settle()
    }
    // Tells BullMQ the job went back to waiting, so it neither completes nor fails it.
    if (handBack) throw new WaitingError()
  }

  const worker = new Worker(options.queueName, processor, {
    connection: options.connection,
    prefix: options.prefix,
    name: options.name,
    concurrency: options.concurrency,
    lockDuration: options.stallIntervalMs,
    stalledInterval: options.stallIntervalMs,
    maxStalledCount,
  })
  let onError = (err: Error) => logger.warn({ err }, 'bullmq worker error')
  worker.on('error', (err) => onError(err))
  worker.on('lockRenewalFailed', (jobIds: string[]) => {
    for (const jobId of jobIds) running.get(jobId)?.controller.abort(new LockLost())
  })
  worker.on('stalled', (jobId: string) => logger.warn({ jobId }, 'job stalled; re-queued'))
  // A job that stalled more than `maxStalledCount` times is failed by the worker that next
  // takes it, without running the processor (BullMQ fails it with an UnrecoverableError, "job
  // stalled more than allowable limit"): its end is recorded here, or it would stay
  // `running` with streams that never end. The processor never throws an UnrecoverableError
  // itself, so this hears only BullMQ's own decisions.
  worker.on('failed', (job: Job | undefined, err: Error) => {
    if (!job || !(err instanceof UnrecoverableError || err.name === 'UnrecoverableError')) return
    const parsed = BullmqJobDataSchema.safeParse(job.data)
    if (!parsed.success) return
    const { jobId } = parsed.data
    logger.error({ jobId, reason: err.message }, 'the queue gave up on the job; it is failed')
    const error = /stalled/.test(err.message) ? workerLost(maxStalledCount + 1) : UNEXPECTED_FAILURE
    void options
      .onFinalFailure(jobId, error)
      .catch((e) => logger.error({ err: e, jobId }, 'could not record the failure'))
  })

  return {
    /** Who hears the worker's errors (its connections' among them). Default: a warning each. */
    onError(listener: (err: Error) => void): void {
      onError = listener
    },
    /** The worker's command connection (its blocking one reports through `onError`). */
    get client() {
      return worker.client
    },
    /** Aborts the job if it runs here; returns whether it did. */
    cancel(jobId: string): boolean {
      const run = running.get(jobId)
      run?.controller.abort(new CancelRequested())
      return run !== undefined
    },

    /**
     * Stops within a bounded time: takes no new job, interrupts running ones (they hand
     * themselves back), then closes without waiting further. `close()` alone waits for
     * running jobs however long they take; a job still running after the timeout is left
     * to its lock expiring, and another worker resumes it.
     */
    async stop(): Promise<void> {
      stopping = true
      await within(worker.pause(true), 1000)
      for (const run of running.values()) run.controller.abort(new ShutdownRequested())
      const all = Promise.all([...running.values()].map((r) => r.done))
      if (!(await within(all, stopTimeoutMs))) {
        logger.warn({ running: running.size }, 'jobs did not hand back in time')
      }
      await within(worker.close(true), 2000)
    },
  }
}
