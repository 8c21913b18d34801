import { sleep } from '../../lib/sleep.js'

export interface RetryPolicy {
  /** Tries in all, the first included. Default 3. */
  maxAttempts: number
  /** Backoff before the 2nd try; doubles each time. Default 500 ms. */
  baseDelayMs: number
  /** Cap of one backoff. Default 10 s. */
  maxDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
}

export interface RetryNotice {
  /** The try about to start (2 for the first retry). */
  attempt: number
  delayMs: number
  error: unknown
}

/** Whether trying again can help; by default only errors that say `retryable: true`. */
export const isRetryable = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { retryable?: unknown }).retryable === true

const retryAfterOf = (err: unknown): number =>
  typeof err === 'object' &&
  err !== null &&
  typeof (err as { retryAfterMs?: unknown }).retryAfterMs === 'number'
    ? (err as { retryAfterMs: number }).retryAfterMs
    : 0

/** Exponential backoff with jitter (50–100 % of the step), never shorter than the server's Retry-After. */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  err: unknown,
  random = Math.random,
): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 2))
  const jittered = Math.round(step * (0.5 + random() / 2))
  return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterOf(err)))
}

/**
 * Runs `fn` until it succeeds, the error is not retryable, the tries run out or the signal
 * aborts. `onRetry` hears of each retry before its backoff starts.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: {
    policy: RetryPolicy
    signal: AbortSignal
    onRetry?: (notice: RetryNotice) => Promise<void> | void
  },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (error) {
      if (options.signal.aborted) throw options.signal.reason
      if (!isRetryable(error) || attempt >= options.policy.maxAttempts) throw error
      const delayMs = backoffDelay(options.policy, attempt + 1, error)
      await options.onRetry?.({ attempt: attempt + 1, delayMs, error })
      await sleep(delayMs, options.signal)
    }
  }
}
