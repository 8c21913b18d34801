import type { Step, Usage } from '@inkflow/shared'
import type { JobEvents } from '../../events/job-events.js'
import type { ChatMessage, LlmClient, LlmResult, LlmTaskHint } from '../../llm/llm.js'
import type { FlowContext } from '../engine/node.js'

/** What the article nodes need besides the shared state. */
export interface ArticleContext extends FlowContext {
  llm: LlmClient
  events: JobEvents
}

/** Progress bands of the contract (`docs/http-contract.md`): outline 0–30, content 30–80, style 80–100. */
export const PROGRESS = { outline: [0, 30], content: [30, 80], style: [80, 100] } as const

export function addUsage(total: Usage, more: Usage | undefined): Usage {
  if (!more) return total
  return {
    promptTokens: total.promptTokens + more.promptTokens,
    completionTokens: total.completionTokens + more.completionTokens,
    totalTokens: total.totalTokens + more.totalTokens,
  }
}

/** Fraction of an expected length streamed so far, kept below 1 until the step really ends. */
const streamedFraction = (chars: number, expectedChars: number): number =>
  Math.min(0.95, chars / Math.max(1, expectedChars))

/**
 * One streamed model call of a step: each delta becomes a coalesced `token` event whose
 * progress is `progressAt(fraction)`, the fraction of `expectedChars` streamed so far.
 */
export function streamStep(
  ctx: ArticleContext,
  call: {
    messages: ChatMessage[]
    hint: LlmTaskHint
    step: Step
    index?: number
    expectedChars: number
    progressAt: (fraction: number) => number
  },
): Promise<LlmResult> {
  let chars = 0
  return ctx.llm.complete({
    messages: call.messages,
    hint: call.hint,
    signal: ctx.signal,
    onToken: (text) => {
      chars += text.length
      ctx.events.token(
        call.step,
        call.index,
        text,
        call.progressAt(streamedFraction(chars, call.expectedChars)),
      )
    },
  })
}
