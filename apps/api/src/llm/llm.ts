import type { LlmProviderName, Usage } from '@inkflow/shared'

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

/** What a call is for: a label for metrics. Models read only the messages. */
export type LlmTask = 'outline' | 'section' | 'style' | 'revise'

export interface LlmRequest {
  messages: ChatMessage[]
  task: LlmTask
  /** Aborting it stops the request in flight: no more tokens are produced or paid for. */
  signal: AbortSignal
  /** Called with each text delta as it streams in. */
  onToken?: (text: string) => void
}

export interface LlmResult {
  text: string
  /**
   * The call's tokens: as the server reported them, or counted on our side (`estimated`)
   * when it did not. Absent only from providers that cannot tell.
   */
  usage?: Usage
  /** `length` when the answer was cut at the output cap (the server's or ours). */
  finishReason?: 'stop' | 'length'
}

/**
 * A chat model that streams its answer. Errors are `LlmError`s (with what a failed call
 * cost, when it cost anything); aborts reject with the signal's reason.
 */
export interface LlmClient {
  readonly provider: LlmProviderName
  readonly model: string
  complete(request: LlmRequest): Promise<LlmResult>
  /** Settles once the client takes calls at full speed (its code loaded); absent when at once. */
  readonly ready?: Promise<void>
}
