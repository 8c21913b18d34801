/** Stable codes a failed job reports in `job.failed.error.code`. */
export type LlmErrorCode =
  | 'llm_rate_limited'
  | 'llm_unavailable'
  | 'llm_timeout'
  | 'llm_bad_output'
  | 'llm_auth'
  | 'llm_bad_request'

/** A failed LLM call, classified so the workflow knows whether trying again can help. */
export class LlmError extends Error {
  override name = 'LlmError'
  readonly code: LlmErrorCode
  readonly retryable: boolean
  /** The server's `Retry-After`, when it sent one. */
  readonly retryAfterMs: number | undefined
  /** Which retry budget a failure spends: the call's (transport) or the answer's (output). */
  readonly budget: 'transport' | 'output'

  constructor(
    code: LlmErrorCode,
    message: string,
    options: { retryable: boolean; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, { cause: options.cause })
    this.code = code
    this.retryable = options.retryable
    this.retryAfterMs = options.retryAfterMs
    this.budget = code === 'llm_bad_output' ? 'output' : 'transport'
  }
}
