import type { Usage } from '@inkflow/shared'

/** Stable codes a failed job reports in `job.failed.error.code`. */
export type LlmErrorCode =
  | 'llm_rate_limited'
  | 'llm_unavailable'
  | 'llm_timeout'
  | 'llm_bad_output'
  | 'llm_auth'
  | 'llm_bad_request'

/**
 * A failed LLM call, classified so the workflow knows whether trying again can help.
 *
 * `message` is in our words: it reaches readers (`job.retrying.reason`, `job.failed`). What
 * the model server or the runtime said goes in `detail`, which only the logs show — a
 * server's error text can name files, hosts or other people's prompts.
 */
export class LlmError extends Error {
  override name = 'LlmError'
  readonly code: LlmErrorCode
  readonly retryable: boolean
  /** The server's `Retry-After`, when it sent one. */
  readonly retryAfterMs: number | undefined
  /** Which retry budget a failure spends: the call's (transport) or the answer's (output). */
  readonly budget: 'transport' | 'output'
  /** What the server (or the runtime) said, for the logs only. */
  readonly detail: string | undefined
  /** What the call cost before it failed (the prompt sent, the text received); absent: nothing. */
  readonly usage: Usage | undefined

  constructor(
    code: LlmErrorCode,
    message: string,
    options: {
      retryable: boolean
      retryAfterMs?: number
      cause?: unknown
      detail?: string
      usage?: Usage
    },
  ) {
    super(message, { cause: options.cause })
    this.code = code
    this.retryable = options.retryable
    this.retryAfterMs = options.retryAfterMs
    this.budget = code === 'llm_bad_output' ? 'output' : 'transport'
    this.detail = options.detail
    this.usage = options.usage
  }

  /** The same failure, with what the call cost. */
  withUsage(usage: Usage): LlmError {
    const { code, message, retryable, retryAfterMs, detail } = this
    return new LlmError(code, message, {
      retryable,
      retryAfterMs,
      detail,
      usage,
      cause: this.cause,
    })
  }
}
