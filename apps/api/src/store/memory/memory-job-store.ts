import { isTerminalStatus } from '@inkflow/shared'
import {
  type CreateJobInput,
  type CreateJobResult,
  decodeCursor,
  encodeCursor,
  IdempotencyConflictError,
  isOlder,
  JobFencedError,
  JobNotFoundError,
  type JobPage,
  type JobPatch,
  type JobRecord,
  type JobStore,
  type JobUpdateOptions,
  newJobRecord,
  passesFence,
} from '../../jobs/job-store.js'

/** The memory job store, with the synchronous update its `FinishStore` makes one step with an append. */
export interface MemoryJobStore extends JobStore {
  /** `create`, at once. */
  createNow(input: CreateJobInput): CreateJobResult
  /**
   * `update`, at once: throws (changing nothing) or changes the job, and returns the
   * record and an `undo` that puts the job back as it was.
   */
  updateNow(
    id: string,
    patch: JobPatch,
    options?: JobUpdateOptions,
  ): { job: JobRecord; undo: () => void }
}

/** In-process `JobStore` for tests and throwaway runs; nothing survives the process. */
export function createMemoryJobStore(): MemoryJobStore {
  const jobs = new Map<string, JobRecord>()
  const byIdempotencyKey = new Map<
    string,
    { jobId: string; fingerprint: string; ownerToken: string; usedAt: string }
  >()
  // Records are copied in and out so callers can never mutate the stored state.
  const copy = (job: JobRecord): JobRecord => structuredClone(job)

  const updateNow = (id: string, patch: JobPatch, options: JobUpdateOptions = {}) => {
    const job = jobs.get(id)
    if (!job) throw new JobNotFoundError(id)
    if (!passesFence(job, options)) throw new JobFencedError(id, options.attempt ?? job.attempt)
    const next: JobRecord = {
      ...job,
      ...structuredClone(patch),
      updatedAt: new Date().toISOString(),
    }
    jobs.set(id, next)
    const undo = () => {
      if (jobs.get(id) === next) jobs.set(id, job)
    }
    return { job: copy(next), undo }
  }

  const createNow = (input: CreateJobInput): CreateJobResult => {
    if (input.idempotency) {
      const seen = byIdempotencyKey.get(input.idempotency.key)
      if (seen) {
        if (seen.fingerprint !== input.idempotency.fingerprint) {
          throw new IdempotencyConflictError(input.idempotency.key)
        }
        const job = jobs.get(seen.jobId)
        if (job) return { job: copy(job), created: false, ownerToken: seen.ownerToken }
      }
    }
    const job = newJobRecord(input)
    jobs.set(job.id, job)
    if (input.idempotency) {
      byIdempotencyKey.set(input.idempotency.key, {
        jobId: job.id,
        fingerprint: input.idempotency.fingerprint,
        ownerToken: input.idempotency.ownerToken,
        usedAt: input.createdAt,
      })
    }
    return { job: copy(job), created: true }
  }

  return {
    createNow,
    create: async (input) => createNow(input),

    async get(id) {
      const job = jobs.get(id)
      return job && copy(job)
    },

    async list({ limit, cursor }): Promise<JobPage> {
      const after = cursor === undefined ? undefined : decodeCursor(cursor)
      const sorted = [...jobs.values()]
        .filter((j) => !after || isOlder(j, after))
        .sort((a, b) => (isOlder(a, b) ? 1 : -1))
      const items = sorted.slice(0, limit).map(copy)
      const last = items.at(-1)
      return { items, nextCursor: sorted.length > limit && last ? encodeCursor(last) : null }
    },

    async listWaiting() {
      return [...jobs.values()].filter((j) => j.status === 'waiting').map(copy)
    },

    async countWaiting() {
      let waiting = 0
      for (const job of jobs.values()) if (job.status === 'waiting') waiting++
      return waiting
    },

    async listUnfinished() {
      return (
        [...jobs.values()]
          .filter((j) => j.status === 'queued' || j.status === 'running')
          // A stable sort on createdAt alone keeps same-millisecond jobs in creation order.
          .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
          .map(copy)
      )
    },

    async update(id, patch, options) {
      return updateNow(id, patch, options).job
    },

    updateNow,

    async removeFinished(updatedBefore, limit) {
      const expired = [...jobs.values()]
        .filter((j) => isTerminalStatus(j.status) && j.updatedAt < updatedBefore)
        .sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : 1))
        .slice(0, limit)
        .map((j) => j.id)
      const gone = new Set(expired)
      for (const id of expired) jobs.delete(id)
      for (const [key, seen] of byIdempotencyKey) {
        if (gone.has(seen.jobId)) byIdempotencyKey.delete(key)
      }
      return expired
    },

    async expireIdempotencyKeys(usedBefore) {
      let expired = 0
      for (const [key, seen] of byIdempotencyKey) {
        if (seen.usedAt < usedBefore && byIdempotencyKey.delete(key)) expired++
      }
      return expired
    },

    async ping() {},
    async close() {},
  }
}
