import type { Redis } from 'ioredis'
import type { BullmqKeys } from './bullmq-keys.js'

/** How long a cancel request waits for a worker to pick the job up. Default: one day. */
const CANCEL_REQUEST_TTL_S = 86_400

/**
 * Cancels across processes. A request is both a marker key (so a worker that starts or
 * resumes the job later still sees it) and a pub/sub message (so the worker running it now
 * aborts within milliseconds).
 */
export function createCancelChannel(redis: Redis, keys: BullmqKeys) {
  return {
    async request(jobId: string): Promise<void> {
      await redis
        .multi()
        .set(keys.cancelRequested(jobId), '1', 'EX', CANCEL_REQUEST_TTL_S)
        .publish(keys.cancelChannel, jobId)
        .exec()
    },

    async isRequested(jobId: string): Promise<boolean> {
      return (await redis.exists(keys.cancelRequested(jobId))) === 1
    },

    /** Hears every cancel request on a dedicated subscriber connection; returns a stop. */
    async listen(
      subscriber: Redis,
      onCancel: (jobId: string) => void,
    ): Promise<() => Promise<void>> {
      subscriber.on('message', (channel: string, jobId: string) => {
        if (channel === keys.cancelChannel) onCancel(jobId)
      })
      await subscriber.subscribe(keys.cancelChannel)
      return async () => {
        await subscriber.quit().catch(() => subscriber.disconnect())
      }
    },
  }
}

export type CancelChannel = ReturnType<typeof createCancelChannel>
