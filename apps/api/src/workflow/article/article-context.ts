import type { Step } from '@inkflow/shared'
import type { JobEvents } from '../../events/job-events.js'
import type { ChatMessage, LlmClient, LlmResult, LlmTask } from '../../llm/llm.js'
import type { FlowContext } from '../engine/node.js'
import { createOverlapTrimmer } from './overlap-trimmer.js'
import { continuePrompt } from './prompts.js'

/** What the article nodes need besides the shared state. */
export interface ArticleContext extends FlowContext {
  llm: LlmClient
  events: JobEvents
  /**
   * Text the log holds of the section or style pass a previous run was writing when it
   * stopped (`catch-up-with-log.ts`): the node carries on from it instead of starting over.
   */
  resume?: ResumePoint
}

/** Where a previous run stopped mid-way: a section's text, the style pass's or a revision's. */
export type ResumePoint =
  | { step: 'content'; index: number; text: string }
  | { step: 'style'; text: string }
  | { step: 'revise'; text: string }

/**
 * Progress bands of the contract (`docs/http-contract.md`): outline 0–30, content 30–80,
 * style 80–100; a revision's one step runs 0–100.
 */
export const PROGRESS = {
  outline: [0, 30],
  content: [30, 80],
  style: [80, 100],
  revise: [0, 100],
} as const

/** Fraction of an expected length streamed so far, kept below 1 until the step really ends. */
const streamedFraction = (chars: number, expectedChars: number): number =>
  Math.min(0.95, chars / Math.max(1, expectedChars))

/** The text a step or section has streamed so far, kept across its tries so a retry carries on. */
export interface Draft {
  text: string
}

/**
 * One streamed model call of a step: each delta becomes a coalesced `token` event whose
 * progress is `progressAt(fraction)`, the fraction of `expectedChars` streamed so far, and
 * is added to `draft`.
 *
 * When the draft already holds text (an earlier try was cut off, or the log had it after a
 * crash), the call carries on from it: the model gets the prompt, the text as its own words
 * so far and an instruction to go on; what it repeats is trimmed. The answer's text is the
 * whole draft, so the `token` texts add up exactly to it.
 */
export async function streamStep(
  ctx: ArticleContext,
  call: {
    messages: ChatMessage[]
    task: LlmTask
    step: Step
    index?: number
    expectedChars: number
    progressAt: (fraction: number) => number
    /** Kept across tries; a fresh one each try starts over. Default: a fresh one. */
    draft?: Draft
  },
): Promise<LlmResult> {
  const draft = call.draft ?? { text: '' }
  const written = draft.text
  const trimmer = createOverlapTrimmer(written, (text) => {
    draft.text += text
    const fraction = streamedFraction(draft.text.length, call.expectedChars)
    ctx.events.token(call.step, call.index, text, call.progressAt(fraction))
  })
  const result = await ctx.llm.complete({
    messages: written ? continuePrompt(call.messages, written) : call.messages,
    task: call.task,
    signal: ctx.signal,
    onToken: (text) => trimmer.push(text),
  })
  trimmer.end()
  return { ...result, text: draft.text }
}
