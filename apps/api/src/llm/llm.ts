import type { LlmProviderName, Usage } from '@inkflow/shared'

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

/**
 * What a call is for. Real models read only the messages; the offline demo model uses the
 * hint to write topic-aware text without having to understand the prompt.
 */
export type LlmTaskHint =
  | { task: 'outline'; topic: string }
  | {
      task: 'section'
      topic: string
      title: string
      index: number
      sectionCount: number
      /** The text already written, when the call carries on from it (the messages say so too). */
      continues?: string
    }
  | { task: 'style'; topic: string; title: string; draft: string; continues?: string }

export interface LlmRequest {
  messages: ChatMessage[]
  hint: LlmTaskHint
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
