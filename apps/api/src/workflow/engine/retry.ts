import { sleep } from '../../lib/sleep.js'

/**
 * Two budgets, counted apart: a call that keeps meeting transport faults (429, 5xx,
 * timeouts, cut streams) and one whose answers keep failing to validate are different
 * troubles, and one should not spend the other's tries.
 */
export interface RetryPolicy {
  /** Tries that may end in a transport fault, the first included. Default 3. */
  maxAttempts: number
  /** Tries that may end in invalid output (an outline that does not parse). Default 3. */
  maxOutputAttempts: number
  /** Backoff before the 2nd try; doubles each time. Default 500 ms. */
  baseDelayMs: number
  /** Cap of one backoff. Default 10 s. */
  maxDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  maxOutputAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
}

export interface RetryNotice {
  /** The try about to start (2 for the first retry). */
  attempt: number
  delayMs: number
  error: unknown
}

/** An error that says the answer was unusable (it carries `budget: 'output'`), not the call. */
export const isOutputError = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { budget?: unknown }).budget === 'output'

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
 * Runs `fn` until it succeeds, the error is not retryable, the error's budget (transport or
 * output) runs out or the signal aborts. `onRetry` hears of each retry before its backoff.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: {
    policy: RetryPolicy
    signal: AbortSignal
    onRetry?: (notice: RetryNotice) => Promise<void> | void
  },
): Promise<T> {
  const failures = { transport: 0, output: 0 }
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (error) {
      if (options.signal.aborted) throw options.signal.reason
      if (!isRetryable(error)) throw error
      const output = isOutputError(error)
      const spent = output ? ++failures.output : ++failures.transport
      const budget = output ? options.policy.maxOutputAttempts : options.policy.maxAttempts
      if (spent >= budget) throw error
      const delayMs = backoffDelay(options.policy, attempt + 1, error)
      await options.onRetry?.({ attempt: attempt + 1, delayMs, error })
      await sleep(delayMs, options.signal)
    }
  }
}
