import type { Logger } from 'pino'
import { StoreOutageError } from '../events/event-log.js'
import type { JobExecutor } from './job-queue.js'
import type { StoreHealth } from './store-health.js'
import { waitOutStoreFaults } from './store-retry.js'

/** How a run waits out storage faults (`JobExecutorDeps.store`). */
export interface StorePatience {
  health: StoreHealth
  /** `STORE_OUTAGE_TIMEOUT`: how long one write is tried again. */
  outageTimeoutMs: number
  /** Hears a job that stopped for want of storage, to queue it again once the store is back. */
  leave: (jobId: string) => void
}

/** A write of a run, tried again while the store fails for a reason that may pass. */
export type Persist = <T>(
  write: (attempt: number) => Promise<T>,
  signal?: AbortSignal,
) => Promise<T>

/** `Persist` under `store`'s patience; without one, a write is tried once. */
export function persistWith(store: StorePatience | undefined): Persist {
  return (write, signal) =>
    store
      ? waitOutStoreFaults(write, {
          health: store.health,
          timeoutMs: store.outageTimeoutMs,
          signal,
        })
      : write(1)
}

/**
 * Runs `run` with a signal of its own, which follows the queue's (cancel, shutdown) and which
 * the run aborts itself when the store stays away too long. A run that ends in
 * `StoreOutageError` wrote nothing more: the job stays `running` in the store, and
 * `store.leave` hears it.
 */
export function runLeavingOutages(
  run: (jobId: string, controller: AbortController, log: Logger) => Promise<void>,
  deps: { logger: Logger; store?: StorePatience },
): JobExecutor {
  return async (jobId, signal) => {
    const log = deps.logger.child({ jobId })
    const controller = new AbortController()
    const follow = () => controller.abort(signal.reason)
    if (signal.aborted) follow()
    else signal.addEventListener('abort', follow, { once: true })
    try {
      await run(jobId, controller, log)
    } catch (err) {
      if (!(err instanceof StoreOutageError) || !deps.store) throw err
      log.warn(
        { waitedMs: err.waitedMs },
        'the store took no write for too long: the job stops and resumes once it is back',
      )
      deps.store.leave(jobId)
    } finally {
      signal.removeEventListener('abort', follow)
    }
  }
}
