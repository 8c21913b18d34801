import {
  type Article,
  DEFAULT_JOB_OPTIONS,
  isTerminalStatus,
  type Job,
  type JobError,
  type JobOptions,
  type JobStatus,
  type Outline,
  type RevisionOf,
  type Step,
  type Usage,
} from '@inkflow/shared'

/**
 * A job as stored: the public `Job` plus what the runner needs to resume it and what
 * controlling it takes. None of these extra fields leave the server (`http/routes/job-view.ts`).
 */
export interface JobRecord extends Job {
  /** How many times a worker has started this job (0 while it waits in the queue). */
  attempt: number
  /**
   * The workflow's state after its last finished step or section, as the runner serialized
   * it (JSON text). The store keeps the text as it is: it never parses it, and nobody can
   * change a saved checkpoint by changing the state it was made from.
   */
  checkpoint?: string
  /**
   * SHA-256 (base64url) of the owner token handed out when the job was created
   * (`jobs/owner-token.ts`). Absent on jobs created before owner tokens: only an operator
   * controls those.
   */
  ownerTokenHash?: string
  /** While `waiting`: when its outline review expires (ISO), as `job.waiting` announced. */
  reviewExpiresAt?: string
  /**
   * A revision job's starting point: the article of the job it revises (`revisionOf.jobId`),
   * kept on its own record, so it runs and resumes whatever becomes of that job.
   */
  revisionBase?: Article
}

export interface CreateJobInput {
  id: string
  topic: string
  /** What shapes the article, defaults filled in. Default: `DEFAULT_JOB_OPTIONS`. */
  options?: JobOptions
  /** ISO timestamp; also orders the job list and recovery. */
  createdAt: string
  /** The hash of the new job's owner token; stored with the job. */
  ownerTokenHash?: string
  /**
   * When set, a second create with the same key returns the first job instead. The key's
   * record keeps `ownerToken` (the plain token, the only place it is kept) so that such a
   * replay can hand it out again. The store treats `key` as opaque: the service hands it the
   * client-scoped key (`scopedIdempotencyKey` in `job-service.ts`), at most ~300 characters.
   */
  idempotency?: { key: string; fingerprint: string; ownerToken: string }
  /**
   * Set for a revision job: what it revises, the article it starts from and that article's
   * outline, all stored with the job (`revisionOf`, `revisionBase`, `outline`).
   */
  revision?: { of: RevisionOf; base: Article; outline?: Outline }
}

export type CreateJobResult =
  | { job: JobRecord; created: true }
  | {
      job: JobRecord
      created: false
      /**
       * The owner token the key's record keeps. A key recorded before owner tokens had
       * none: the replay then gives the record its own `ownerToken`, and the job its
       * `ownerTokenHash` (unless the job has an owner already), and returns that token.
       */
      ownerToken: string
    }

/** Fields a runner may change (never the owner's hash); `updatedAt` is set by the store. */
export interface JobPatch {
  status?: JobStatus
  progress?: number
  step?: Step | null
  attempt?: number
  checkpoint?: string
  article?: Article
  error?: JobError
  usage?: Usage
  outline?: Outline
  reviewExpiresAt?: string
}

/** Options of one update. */
export interface JobUpdateOptions {
  /**
   * Fence: the attempt the writer runs (the executor passes it; when it claims the job, the
   * attempt it found). The update is refused with `JobFencedError`, changing nothing, unless
   * this is still the job's attempt and the job has not finished, so a worker that lost its
   * job to another one (or whose job was ended meanwhile) can no longer change it.
   * Default: no fence.
   */
  attempt?: number
  /**
   * Fence: the status the job must have. The update is refused with `JobFencedError`,
   * changing nothing, when the job has another, so of two writers that both saw a job
   * `waiting` (an approval, the review expiry) only the first moves it on. Default: any.
   */
  status?: JobStatus
}

export interface JobPage {
  items: JobRecord[]
  nextCursor: string | null
}

/**
 * Where jobs live: the port the store adapters implement (`store/memory|sqlite|redis`).
 *
 * In the contract (tested by `test/store/job-store.contract.ts` for every adapter):
 * - `create` is atomic with its idempotency key: the same key and fingerprint yield the
 *   same job and the owner token the key was first used with; the same key with another
 *   fingerprint throws `IdempotencyConflictError`. `ownerTokenHash` is kept with the job,
 *   through every update, and across restarts and instances like the rest of it.
 * - `list` is newest first (`createdAt`, then `id`, descending) and pages with an opaque
 *   cursor; a cursor the store did not make throws `InvalidCursorError`. Its items may
 *   leave out `checkpoint` (a listing shows summaries).
 * - An `update` whose patch has `checkpoint: undefined` drops the checkpoint.
 * - `listUnfinished` returns `queued` and `running` jobs oldest first (`createdAt`, then the
 *   order they were created in), for recovery; never a `waiting` one (no worker owes it a run).
 * - `listWaiting` returns every `waiting` job (any order), for the review expiry;
 *   `countWaiting` says how many there are without reading them (every POST asks it).
 * - A job's `options` are kept as created; a job stored before options reads as the defaults.
 * - `update` of an unknown id throws `JobNotFoundError`; one fenced by an attempt that is no
 *   longer the job's, or of a finished job, or by a status the job no longer has, throws
 *   `JobFencedError` and changes nothing (every adapter, atomically with the check).
 * - `removeFinished` deletes only `completed|failed|cancelled` jobs (never `queued` or
 *   `running`) last updated before the cutoff, with their idempotency keys; a removed job
 *   is gone from `get` and `list`, and its key may be used again.
 * - `expireIdempotencyKeys` forgets keys first used before the cutoff, their owner tokens
 *   with them: the job stays (with its owner's hash), and the key may be used again for a
 *   new job.
 * Not in the contract: ordering between concurrent updates of one job (one worker owns a
 * running job), or any cross-job transaction.
 */
export interface JobStore {
  create(input: CreateJobInput): Promise<CreateJobResult>
  get(id: string): Promise<JobRecord | undefined>
  list(query: { limit: number; cursor?: string }): Promise<JobPage>
  listUnfinished(): Promise<JobRecord[]>
  listWaiting(): Promise<JobRecord[]>
  countWaiting(): Promise<number>
  update(id: string, patch: JobPatch, options?: JobUpdateOptions): Promise<JobRecord>
  /**
   * Retention: removes at most `limit` finished jobs whose `updatedAt` is before
   * `updatedBefore` (ISO), oldest first, and returns their ids (the caller removes their
   * events). Call again while it returns `limit` ids.
   */
  removeFinished(updatedBefore: string, limit: number): Promise<string[]>
  /** Forgets idempotency keys first used before `usedBefore` (ISO); returns how many. */
  expireIdempotencyKeys(usedBefore: string): Promise<number>
  /**
   * Resolves once the store has taken a small write; rejects when it cannot (a full disk,
   * Redis away). Readiness and the recovery after a storage fault ask this.
   */
  ping(): Promise<void>
  close(): Promise<void>
}

/** A new job as every store creates it: queued, at 0 %, never attempted. */
export function newJobRecord(input: CreateJobInput): JobRecord {
  return {
    id: input.id,
    topic: input.topic,
    options: { ...(input.options ?? DEFAULT_JOB_OPTIONS) },
    status: 'queued',
    progress: 0,
    step: null,
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    attempt: 0,
    ...(input.ownerTokenHash === undefined ? {} : { ownerTokenHash: input.ownerTokenHash }),
    ...(input.revision === undefined
      ? {}
      : {
          revisionOf: { ...input.revision.of },
          revisionBase: input.revision.base,
          ...(input.revision.outline ? { outline: input.revision.outline } : {}),
        }),
  }
}

export class JobNotFoundError extends Error {
  readonly code = 'job_not_found'
  constructor(readonly jobId: string) {
    super(`no job with id ${jobId}`)
  }
}

/**
 * The writer runs an attempt of the job that is no longer current, or the job has ended, or
 * it no longer has the status the writer expected (`JobUpdateOptions.status`).
 */
export class JobFencedError extends Error {
  readonly code = 'job_fenced'
  constructor(
    readonly jobId: string,
    readonly attempt: number,
  ) {
    super(
      `job ${jobId} has moved on from attempt ${attempt} (or from the status expected) or ended; this writer is stale`,
    )
  }
}

/** Whether an update fenced by `options` may change `job` (see `JobUpdateOptions`). */
export function passesFence(
  job: Pick<JobRecord, 'attempt' | 'status'>,
  options: JobUpdateOptions = {},
): boolean {
  if (options.status !== undefined && job.status !== options.status) return false
  if (options.attempt === undefined) return true
  return job.attempt === options.attempt && !isTerminalStatus(job.status)
}

/**
 * A record stored before jobs had options (or before an option existed) reads as one with
 * the defaults.
 */
export function withDefaultOptions(job: JobRecord): JobRecord {
  if (job.options?.language !== undefined) return job
  return { ...job, options: { ...DEFAULT_JOB_OPTIONS, ...job.options } }
}

export class IdempotencyConflictError extends Error {
  readonly code = 'idempotency_conflict'
  constructor(readonly key: string) {
    super('this Idempotency-Key was already used with a different request body')
  }
}

export class InvalidCursorError extends Error {
  readonly code = 'invalid_cursor'
  constructor() {
    super('cursor is not one this server handed out')
  }
}

/** Encodes the list position after `job`: newest-first order by (createdAt, id). */
export function encodeCursor(job: Pick<Job, 'createdAt' | 'id'>): string {
  return Buffer.from(`${job.createdAt}|${job.id}`).toString('base64url')
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  if (!createdAt || !id || rest.length > 0 || Number.isNaN(Date.parse(createdAt))) {
    throw new InvalidCursorError()
  }
  return { createdAt, id }
}

/** True when `a` comes after `b` in the newest-first list order. */
export function isOlder(a: Pick<Job, 'createdAt' | 'id'>, b: { createdAt: string; id: string }) {
  return a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id)
}
