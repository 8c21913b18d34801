import { createHash } from 'node:crypto'

/**
 * Every Redis key of the storage, under one prefix (default `inkflow`), so several deployments
 * or test runs can share a server and be cleaned up by prefix. (The queue's keys, under the same prefix: `jobs/bullmq/bullmq-keys.ts`.)
 */
export function createRedisKeys(prefix: string) {
  return {
    prefix,
    /** Hash: one field per `JobRecord` property, each JSON-encoded. */
    job: (id: string) => `${prefix}:job:${id}`,
    /** Sorted set of `createdAt|id` (all scores 0, ordered by member) for the newest-first list. */
    jobsByCreated: `${prefix}:jobs:by-created`,
    /** `createdAt|creation order|id` of `queued` and `running` jobs, for recovery. */
    jobsUnfinished: `${prefix}:jobs:unfinished`,
    /** Ids of `waiting` jobs (an outline review), for the review expiry. */
    jobsWaiting: `${prefix}:jobs:waiting`,
    /** `updatedAt|id` of finished jobs, for the retention sweep. */
    jobsFinished: `${prefix}:jobs:finished`,
    /** Counter that orders jobs created in the same millisecond. */
    jobsCreated: `${prefix}:jobs:created-count`,
    /** `firstUsedAt|idempotency key` of every key in use, for expiry. */
    idempotencyByUse: `${prefix}:idempotency-by-use`,
    /**
     * Hash `{fingerprint, jobId, ownerToken}` (the plain owner token: the one place it is
     * kept, so a replay can return it); the client's key is hashed so any header value is safe.
     */
    idempotency: (key: string) =>
      `${prefix}:idempotency:${createHash('sha256').update(key).digest('base64url')}`,
    /** Stream of a job's events; entry id `<seq>-0`. */
    events: (jobId: string) => `${prefix}:events:${jobId}`,
    /** Hash `{seq, closed}` beside the stream: the counter and the terminal flag. */
    eventsMeta: (jobId: string) => `${prefix}:events-meta:${jobId}`,
    /** String readiness rewrites (with a short expiry) to learn whether Redis takes writes. */
    probe: `${prefix}:store-probe`,
  }
}

export type RedisKeys = ReturnType<typeof createRedisKeys>
