import type { Logger } from 'pino'
import type { JobQueue } from './job-queue.js'
import { createPeriodicSweep } from './periodic-sweep.js'
import type { StoreHealth } from './store-health.js'

/** How often the store is probed while it takes no writes or jobs wait for it. */
const PROBE_INTERVAL_MS = 1000

/**
 * Jobs whose store stayed away past `STORE_OUTAGE_TIMEOUT` stopped their model calls and were
 * left for recovery: still `running` in the store, run by nobody. This notices the store is
 * back — a probe write (`JobStore.ping`) every second while writes fail or such jobs wait,
 * nothing otherwise — and queues them again in this process, as a restart would, without one.
 */
export function createStoreRecovery(options: {
  health: StoreHealth
  /** A small write (`JobStore.ping`). */
  probe: () => Promise<void>
  queue: JobQueue
  logger: Logger
}) {
  const { health, logger } = options
  const left = new Set<string>()

  const sweep = createPeriodicSweep({
    intervalMs: PROBE_INTERVAL_MS,
    async sweepOnce() {
      if (health.writable && left.size === 0) return 0
      try {
        await options.probe()
      } catch (err) {
        if (health.isTransient(err)) health.fault(err)
        return 0
      }
      health.recovered()
      const jobIds = [...left]
      for (const jobId of jobIds) {
        await options.queue.requeue(jobId)
        left.delete(jobId)
      }
      if (jobIds.length > 0) logger.info({ jobIds }, 'the store is back: jobs left for it resume')
      return jobIds.length
    },
    onError: (err) => logger.warn({ err }, 'could not queue jobs left for recovery; trying again'),
  })

  return {
    /** A job stopped for want of storage: it resumes once the store takes writes again. */
    leave(jobId: string): void {
      left.add(jobId)
    },
    /** Jobs waiting for the store to come back. */
    get waiting(): number {
      return left.size
    },
    start: sweep.start,
    stop: sweep.stop,
  }
}

export type StoreRecovery = ReturnType<typeof createStoreRecovery>
