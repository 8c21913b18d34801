import type { Usage } from '@inkflow/shared'
import type { ChatMessage, LlmResult, LlmTask } from './llm.js'
import type { LlmErrorCode } from './llm-error.js'

/** What the event loop asks of the model thread. */
export type ToModelThread =
  | { type: 'call'; id: number; messages: ChatMessage[]; task: LlmTask }
  | { type: 'abort'; id: number }

/**
 * What the model thread answers: a call's text as it streams, then its end (with the text
 * that came since the last `tokens`). The thread sends these in batches, one per turn of
 * its loop: `FromModelThread[]` for calls, or a lone `ready`.
 */
export type FromModelThread =
  | { type: 'ready' }
  | { type: 'tokens'; id: number; text: string }
  | { type: 'done'; id: number; text: string; result: LlmResult }
  | {
      type: 'failed'
      id: number
      text: string
      error: {
        code: LlmErrorCode
        message: string
        retryable: boolean
        retryAfterMs?: number
        detail?: string
        usage?: Usage
      }
    }
