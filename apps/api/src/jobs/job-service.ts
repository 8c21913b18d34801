import { createHash, randomUUID } from 'node:crypto'
import type { CreateJobBody } from '@inkflow/shared'
import { type EventLog, EventLogClosedError } from '../store/event-log.js'
import type { CreateJobResult, JobRecord, JobStore } from '../store/job-store.js'
import type { JobQueue } from './job-queue.js'

export class JobFinishedError extends Error {
  readonly code = 'job_finished'
  constructor(readonly job: JobRecord) {
    super(`the job is already ${job.status}`)
  }
}

export class QueueFullError extends Error {
  readonly code = 'queue_full'
  constructor(readonly depth: number) {
    super(`${depth} jobs are already waiting; try again shortly`)
  }
}

export interface JobServiceDeps {
  jobs: JobStore
  events: EventLog
  queue: JobQueue
  /** New jobs are refused while this many wait. Default: no limit. */
  maxQueuedJobs?: number
  /**
   * Commit a job that starts at once without waiting for the turn's shared commit. Worth it
   * when its model answers elsewhere (its first call leaves sooner); with a model whose work
   * is on this loop too (the demo), it only adds commits: 277 -> 227 jobs/s in the
   * throughput benchmark, whose jobs start at once as others finish. Default false.
   */
  expediteStarts?: boolean
}

/** Creating and cancelling jobs: the writes the HTTP routes ask for. */
export function createJobService(deps: JobServiceDeps) {
  return {
    /** Stores the job, logs `job.queued` and queues it; an idempotent repeat returns the first job. */
    async create(body: CreateJobBody, idempotencyKey?: string): Promise<CreateJobResult> {
      if (deps.maxQueuedJobs !== undefined) {
        const depth = await deps.queue.depth()
        if (depth >= deps.maxQueuedJobs) throw new QueueFullError(depth)
      }
      const createdAt = new Date().toISOString()
      const fingerprint = createHash('sha256').update(JSON.stringify(body)).digest('base64url')
      // A job that starts at once has a reader waiting for its first words: its writes are
      // committed when this request's task is done, not with the rest of the turn (fifty
      // jobs posted together would otherwise all wait for the last one's request). Jobs
      // that will wait in line keep the cheaper shared commit.
      const expedite = deps.expediteStarts === true && deps.queue.startsAtOnce
      const result = await deps.jobs.create(
        {
          id: randomUUID(),
          topic: body.topic,
          createdAt,
          idempotency: idempotencyKey ? { key: idempotencyKey, fingerprint } : undefined,
        },
        { expedite },
      )
      if (!result.created) return result
      const { job } = result
      await deps.events.append(
        { type: 'job.queued', jobId: job.id, ts: createdAt, progress: 0, topic: job.topic },
        { expedite },
      )
      await deps.queue.enqueue(job.id)
      return result
    },

    /**
     * Cancels a job: a waiting one at once, a running one by aborting it (it then logs
     * `job.cancelled` itself). Repeating a cancel is harmless; a completed or failed job
     * throws `JobFinishedError`. Returns the job as it is now, or undefined when unknown.
     */
    async cancel(jobId: string): Promise<JobRecord | undefined> {
      const job = await deps.jobs.get(jobId)
      if (!job || job.status === 'cancelled') return job
      if (job.status === 'completed' || job.status === 'failed') throw new JobFinishedError(job)
      const outcome = await deps.queue.cancel(jobId)
      if (outcome === 'running') return job
      const cancelled = await deps.jobs.update(jobId, { status: 'cancelled' })
      await deps.events
        .append({
          type: 'job.cancelled',
          jobId,
          ts: new Date().toISOString(),
          progress: job.progress,
          reason: 'cancelled by request',
        })
        .catch((err) => {
          if (!(err instanceof EventLogClosedError)) throw err
        })
      return cancelled
    },
  }
}

export type JobService = ReturnType<typeof createJobService>
