import { createHash, randomUUID } from 'node:crypto'
import {
  type CreateJobBody,
  type CreateRevisionBody,
  DEFAULT_JOB_OPTIONS,
  type JobOptions,
} from '@inkflow/shared'
import type { UnsequencedEvent } from '../events/event-log.js'
import type { FinishJob } from './finish-job.js'
import type { FinishStore } from './finish-store.js'
import type { JobQueue } from './job-queue.js'
import type { CreateJobInput, JobRecord, JobStore } from './job-store.js'
import { createOwnerTokenIssuer } from './owner-token.js'
import { revisionFingerprint, revisionOf } from './revision.js'
import type { SpendLedger } from './spend-ledger.js'

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
  /** Where a new job and its `job.queued` are written, as one write. */
  finishes: FinishStore
  queue: JobQueue
  finish: FinishJob
  /** New jobs are refused while this many wait. Default: no limit. */
  maxQueuedJobs?: number
  /** Where a new job's model spend is attributed to its client (the daily budget). */
  spend?: SpendLedger
  /**
   * A storage fault after a job was stored: whether an error is one that may pass, and who
   * queues the job once the store is back (`store-recovery.ts`). Absent: such errors throw.
   */
  store?: { isTransient(err: unknown): boolean; leave(jobId: string): void }
}

export interface CreatedJob {
  job: JobRecord
  /** False when an idempotent repeat returned the first job. */
  created: boolean
  /** The plain owner token: the caller hands it to the client and keeps it nowhere. */
  ownerToken: string
}

/**
 * The idempotency fingerprint of a parsed body. Options left at their defaults are left out,
 * so a key used before jobs had options still matches the same request (and an explicit
 * default is the same request as an omitted one).
 */
export function bodyFingerprint(body: CreateJobBody): string {
  const { topic, ...options } = body
  const defaults = (Object.keys(DEFAULT_JOB_OPTIONS) as (keyof JobOptions)[]).every(
    (k) => options[k] === DEFAULT_JOB_OPTIONS[k],
  )
  const canonical = defaults ? { topic } : { topic, ...options }
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url')
}

/** Who sends a `create`: what scopes its idempotency key and pays for its model tokens. */
export interface Requester {
  /** The client as the rate limit sees it (`http/client-key.ts`): who pays, and the scope. */
  client: string
  /**
   * The bearer token the request carried, if any (the API token on a private deployment):
   * part of the scope, never an identity of its own, since many people may share it.
   */
  credential?: string
}

/**
 * The key an idempotency record is stored under: the client's key scoped to the client (and
 * the credential it sent), so another client's same key is simply another key, and nobody
 * gets someone else's job and owner token back by sending a guessed key. Hashed, so the
 * store keeps no address and no token in plain, and the length stays bounded.
 */
export function scopedIdempotencyKey(key: string, by: Requester): string {
  const scope = createHash('sha256')
    .update(by.client)
    .update('\n')
    .update(by.credential ?? '')
    .digest('base64url')
  return `${scope}:${key}`
}

/** Creating and cancelling jobs: the writes the HTTP routes ask for. */
export function createJobService(deps: JobServiceDeps) {
  const issueOwnerToken = createOwnerTokenIssuer()

  /**
   * Stores a new job (a revision too) with its `job.queued`, or finds the one its idempotency
   * key already made, and queues it. Jobs waiting for their outline review count toward
   * `maxQueuedJobs` like queued ones: each will need a worker once approved.
   */
  async function admit(
    job: Pick<CreateJobInput, 'topic' | 'options' | 'revision'>,
    fingerprint: string,
    idempotencyKey: string | undefined,
    by: Requester | undefined,
  ): Promise<CreatedJob> {
    if (deps.maxQueuedJobs !== undefined) {
      const [queued, waiting] = await Promise.all([deps.queue.depth(), deps.jobs.countWaiting()])
      const depth = queued + waiting
      if (depth >= deps.maxQueuedJobs) throw new QueueFullError(depth)
    }
    const createdAt = new Date().toISOString()
    const owner = issueOwnerToken()
    const id = randomUUID()
    const { topic, options, revision } = job
    const queued: UnsequencedEvent = {
      type: 'job.queued',
      jobId: id,
      ts: createdAt,
      progress: 0,
      topic,
      options: options ?? { ...DEFAULT_JOB_OPTIONS },
      ...(revision ? { revisionOf: revision.of } : {}),
    }
    const result = await deps.finishes.create(
      {
        id,
        topic,
        options,
        createdAt,
        ownerTokenHash: owner.hash,
        idempotency: idempotencyKey
          ? {
              key: scopedIdempotencyKey(idempotencyKey, by ?? { client: '' }),
              fingerprint,
              ownerToken: owner.token,
            }
          : undefined,
        ...(revision ? { revision } : {}),
      },
      queued,
    )
    if (!result.created) return result
    // Once stored, with its `job.queued`, the job is accepted: a storage fault from here on
    // does not make the client's answer a 503 (a retry would make a second job). It runs
    // unattributed if its spend's client could not be written, and once the store is back
    // if it could not be queued.
    const faulted = (err: unknown): false => {
      if (!deps.store?.isTransient(err)) throw err
      return false
    }
    if (by !== undefined) await deps.spend?.attribute(id, by.client).catch(faulted)
    const enqueued = await deps.queue.enqueue(id).then(() => true, faulted)
    if (!enqueued) deps.store?.leave(id)
    return { job: result.job, created: true, ownerToken: owner.token }
  }

  return {
    /**
     * Stores the job with the hash of a new owner token, logs `job.queued` and queues it;
     * an idempotent repeat by the same requester returns the first job and its owner token
     * (`scopedIdempotencyKey`). The requester's `client` pays for the job's model tokens.
     */
    async create(
      body: CreateJobBody,
      idempotencyKey?: string,
      by?: Requester,
    ): Promise<CreatedJob> {
      const { topic, tone, length, audience, language, reviewOutline } = body
      const options = { tone, length, audience, language, reviewOutline }
      return admit({ topic, options }, bodyFingerprint(body), idempotencyKey, by)
    },

    /**
     * Creates the next version of `original`'s article: a new job, with its own owner token,
     * that rewrites one section of it (`revision.ts` says which jobs and sections may be
     * revised, and throws otherwise). Queued, limited, paid for and made idempotent like
     * `create`; `original` is only read.
     */
    async revise(
      original: JobRecord,
      body: CreateRevisionBody,
      idempotencyKey?: string,
      by?: Requester,
    ): Promise<CreatedJob> {
      const revision = revisionOf(original, body)
      const { topic, options } = original
      const fingerprint = revisionFingerprint(original.id, body)
      return admit({ topic, options, revision }, fingerprint, idempotencyKey, by)
    },

    /**
     * Cancels a job: a queued one or one waiting for its review at once, a running one by
     * aborting it (it then logs `job.cancelled` itself). Repeating a cancel is harmless; a
     * completed or failed job throws `JobFinishedError`. Returns the job as it is now, or
     * undefined when unknown.
     */
    async cancel(jobId: string): Promise<JobRecord | undefined> {
      let job = await deps.jobs.get(jobId)
      if (job?.status === 'waiting') {
        // No queue holds a waiting job: it ends here, unless an approval moved it on first.
        const reason = 'cancelled by request'
        const at = { progress: job.progress, status: 'waiting' as const }
        if ((await deps.finish(jobId, { status: 'cancelled', reason }, at)) !== 'fenced') {
          return deps.jobs.get(jobId)
        }
        job = await deps.jobs.get(jobId)
      }
      if (!job || job.status === 'cancelled') return job
      if (job.status === 'completed' || job.status === 'failed') throw new JobFinishedError(job)
      const outcome = await deps.queue.cancel(jobId)
      if (outcome === 'running') return job
      await deps.finish(
        jobId,
        { status: 'cancelled', reason: 'cancelled by request' },
        { progress: job.progress },
      )
      return deps.jobs.get(jobId)
    },
  }
}

export type JobService = ReturnType<typeof createJobService>
