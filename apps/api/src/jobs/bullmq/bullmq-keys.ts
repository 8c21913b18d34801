/**
 * The Redis keys of the BullMQ queue and its cancel channel, under the deployment's key
 * prefix (the storage's own keys share it: `store/redis/redis-keys.ts`).
 */
export function createBullmqKeys(prefix: string) {
  return {
    prefix,
    /** Pub/sub channel on which cancels reach the worker running the job. */
    cancelChannel: `${prefix}:cancel`,
    /** Set while a cancel is pending, so a worker that picks the job up later still sees it. */
    cancelRequested: (jobId: string) => `${prefix}:cancel-requested:${jobId}`,
    /** BullMQ's own prefix. */
    bullmq: `${prefix}:bull`,
  }
}

export type BullmqKeys = ReturnType<typeof createBullmqKeys>
