import type { Logger } from 'pino'
import type { StoreFaultPolicy } from '../events/event-log.js'

/**
 * Whether the store takes writes, as this process last saw it, fed by every writer that
 * waits out a storage fault and by readiness probes. `/readyz` and `POST /api/jobs` answer
 * `503` from it at once while writes fail, instead of adding one more write to wait.
 */
export interface StoreHealth {
  /** False from a write failing for a reason that may pass until one lands again. */
  readonly writable: boolean
  /** The storage adapter's own judgement of an error: a fault that may pass? */
  isTransient(err: unknown): boolean
  /** A write failed for a reason that may pass. Logs a warning when the store was writable. */
  fault(err: unknown): void
  /** A write landed. Logs when the store was not writable. */
  recovered(): void
  /** The policy running jobs' appends follow: wait out faults for `outageTimeoutMs`. */
  policy(): StoreFaultPolicy
}

/**
 * One per process (compose). Logs once per change of state, never per retry: an outage is
 * one warning and one line when it is over, however many writers retried meanwhile.
 */
export function createStoreHealth(options: {
  isTransient: (err: unknown) => boolean
  /** `STORE_OUTAGE_TIMEOUT`: how long a running job waits out a fault. */
  outageTimeoutMs: number
  logger: Logger
}): StoreHealth {
  const { logger } = options
  let downSince: number | undefined

  const health: StoreHealth = {
    get writable() {
      return downSince === undefined
    },
    isTransient: options.isTransient,
    fault(err) {
      if (downSince !== undefined) return
      downSince = Date.now()
      const reason = err instanceof Error ? err.message : String(err)
      logger.warn({ reason }, 'the store takes no writes; jobs wait it out')
    },
    recovered() {
      if (downSince === undefined) return
      const downMs = Date.now() - downSince
      downSince = undefined
      logger.info({ downMs }, 'the store takes writes again')
    },
    policy: () => ({
      isTransient: options.isTransient,
      outageTimeoutMs: options.outageTimeoutMs,
      onFault: health.fault,
      onRecovered: health.recovered,
    }),
  }
  return health
}
