import type { Article, JobOptions } from '@inkflow/shared'
import type { LlmResult } from '../../llm/llm.js'
import { Node } from '../engine/node.js'
import { type ArticleContext, type Draft, PROGRESS, streamStep } from './article-context.js'
import type { ArticleState } from './article-state.js'
import { revisePrompt } from './prompts.js'

interface ReviseTask {
  topic: string
  options: JobOptions
  base: Article
  index: number
  instruction: string
  /** The new text so far, kept across tries: a retry carries on from it. */
  draft: Draft
}

/** Progress at a point of the one call, within the revise band. */
function reviseProgress(fraction: number): number {
  const [from, to] = PROGRESS.revise
  return from + (to - from) * fraction
}

/**
 * A revision job's one step: one streamed call that rewrites one section of a finished
 * article, announced and streamed like a section of the content step (`section.started`,
 * `token`s with the section's index, `section.completed`), so a client shows it the same
 * way. A cut call carries on from the text already streamed, like a section.
 */
export class ReviseNode extends Node<ArticleState, ArticleContext, ReviseTask, LlmResult> {
  override isComplete(state: ArticleState) {
    return state.revised !== undefined
  }

  override async prep(state: ArticleState, ctx: ArticleContext): Promise<ReviseTask> {
    const revision = state.revision
    if (!revision) throw new Error('the revise step needs a revision')
    const { base, section: index, instruction } = revision
    const title = base.sections[index]?.title ?? ''
    // Text the log holds of a cut revision is carried on from, under its `section.started`.
    const text = ctx.resume?.step === 'revise' ? ctx.resume.text : ''
    if (text === '') {
      ctx.events.emitLater({ type: 'step.started', step: 'revise' }, reviseProgress(0))
      ctx.events.emitLater({ type: 'section.started', index, title }, reviseProgress(0))
    }
    const { topic, options } = state
    return { topic, options, base, index, instruction, draft: { text } }
  }

  override async exec(task: ReviseTask, ctx: ArticleContext) {
    const { topic, options, base, index, instruction, draft } = task
    const current = base.sections[index]?.content ?? ''
    return streamStep(ctx, {
      messages: revisePrompt(topic, base, index, instruction, options),
      task: 'revise',
      step: 'revise',
      index,
      // About as long as the text it replaces, unless the instruction says otherwise.
      expectedChars: current.length,
      progressAt: reviseProgress,
      draft,
    })
  }

  override async post(
    state: ArticleState,
    task: ReviseTask,
    result: LlmResult,
    ctx: ArticleContext,
  ) {
    const { index, base } = task
    const title = base.sections[index]?.title ?? ''
    state.revised = result.text
    ctx.events.emitLater(
      { type: 'section.completed', index, title, content: result.text },
      reviseProgress(1),
    )
    ctx.events.emitLater({ type: 'step.completed', step: 'revise' }, reviseProgress(1))
    return undefined
  }
}
