import type { Usage } from '@inkflow/shared'
import type { JobEmitter } from '../../jobs/job-emitter.js'
import type { LlmClient } from '../../llm/llm.js'
import type { FlowContext } from '../engine/node.js'

/** What the article nodes need besides the shared state. */
export interface ArticleContext extends FlowContext {
  llm: LlmClient
  events: JobEmitter
}

/** Progress bands of DESIGN.md: outline 0–30, content 30–80, style 80–100. */
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
export const streamedFraction = (chars: number, expectedChars: number): number =>
  Math.min(0.95, chars / Math.max(1, expectedChars))
