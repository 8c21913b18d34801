/** How long to wait between reconnect attempts. */
export interface BackoffOptions {
  /** Delay of the first retry, before jitter. Default 500 ms. */
  baseMs?: number
  /** Longest delay, jitter included. Default 10 000 ms. */
  maxMs?: number
  /** Source of randomness in [0, 1). Default `Math.random`. */
  random?: () => number
}

export const BACKOFF_BASE_MS = 500
export const BACKOFF_MAX_MS = 10_000

/**
 * Delay before retry number `attempt` (1 for the first): doubles each time from `baseMs`,
 * ±25 % jitter so that every client dropped by the same outage does not come back in the
 * same instant, capped at `maxMs`.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const { baseMs = BACKOFF_BASE_MS, maxMs = BACKOFF_MAX_MS, random = Math.random } = options
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30)
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent)
  return Math.round(Math.min(maxMs, ceiling * (0.75 + random() * 0.5)))
}
