import { LlmError } from './llm-error.js'

/** One model call's deadline: its signal aborts, with an `llm_timeout`, once the call goes quiet. */
export interface CallDeadline {
  /** Aborts with the `LlmError` that says which wait ran out. */
  readonly signal: AbortSignal
  /** The answer moved on (a delta arrived): the next silence is measured from now. */
  progress(): void
  /** The call is over: the timer goes. */
  stop(): void
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`

/**
 * Bounds the wait for an answer's first delta and every silence between two deltas by `ms`.
 *
 * The SDK's own timeout ends once the response headers arrive, and the HTTP client's body
 * timeout is 300 s, so a server that sends its headers and a few words and then only
 * keep-alive comments would hold a call (and its job) forever. Only `progress()` — called for
 * a delta, never for a comment — moves this deadline.
 */
export function startCallDeadline(ms: number): CallDeadline {
  const controller = new AbortController()
  let answering = false
  const timer = setTimeout(() => {
    const message = answering
      ? `the model stopped in the middle of its answer (nothing new for ${seconds(ms)})`
      : `the model did not begin its answer within ${seconds(ms)}`
    controller.abort(new LlmError('llm_timeout', message, { retryable: true }))
  }, ms)
  return {
    signal: controller.signal,
    progress() {
      answering = true
      // `refresh` re-arms the same timer: cheap enough for every token of every call.
      timer.refresh()
    },
    stop() {
      clearTimeout(timer)
    },
  }
}
