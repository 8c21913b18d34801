import { StoreOutageError, storeRetryDelay } from '../events/event-log.js'
import { sleep } from '../lib/sleep.js'
import type { StoreHealth } from './store-health.js'

/**
 * Runs `write` until it lands, trying again with backoff while it fails for a reason that may
 * pass (`health.isTransient`), for at most `timeoutMs` from the first failure; then rejects
 * with `StoreOutageError`. Any other error rejects at once. `write` hears which try it is
 * (1-based): a try after a lost answer may find its own earlier try landed. An abort of
 * `signal` stops the waiting (not a try in progress).
 */
export async function waitOutStoreFaults<T>(
  write: (attempt: number) => Promise<T>,
  options: { health: StoreHealth; timeoutMs: number; signal?: AbortSignal },
): Promise<T> {
  const { health } = options
  let since: number | undefined
  for (let n = 1; ; n++) {
    try {
      const written = await write(n)
      if (since !== undefined) health.recovered()
      return written
    } catch (err) {
      if (!health.isTransient(err)) throw err
      health.fault(err)
      since ??= Date.now()
      const waited = Date.now() - since
      if (waited > options.timeoutMs) throw new StoreOutageError(waited, err)
      options.signal?.throwIfAborted()
      await sleep(storeRetryDelay(n), options.signal)
    }
  }
}
