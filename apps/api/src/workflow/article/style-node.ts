import type { JobOptions } from '@inkflow/shared'
import type { LlmResult } from '../../llm/llm.js'
import { Node } from '../engine/node.js'
import { type ArticleContext, type Draft, PROGRESS, streamStep } from './article-context.js'
import { draftMarkdown } from './article-markdown.js'
import type { ArticleState } from './article-state.js'
import { stylePrompt } from './prompts.js'

interface StyleTask {
  topic: string
  options: JobOptions
  draft: string
  /** The polished text so far, kept across tries: a retry carries on from it. */
  polished: Draft
}

/** Step 3: one streamed call that rewrites the whole draft in the job's tone. */
export class StyleNode extends Node<ArticleState, ArticleContext, StyleTask, LlmResult> {
  override isComplete(state: ArticleState) {
    return state.styled !== undefined
  }

  override async prep(state: ArticleState, ctx: ArticleContext): Promise<StyleTask> {
    const outline = state.outline
    if (!outline) throw new Error('the style step needs an outline')
    // Text the log holds of a cut style pass is carried on from, under its `step.started`.
    const text = ctx.resume?.step === 'style' ? ctx.resume.text : ''
    if (text === '')
      ctx.events.emitLater({ type: 'step.started', step: 'style' }, PROGRESS.style[0])
    return {
      topic: state.topic,
      options: state.options,
      draft: draftMarkdown(outline.title, state.sections),
      polished: { text },
    }
  }

  override async exec({ topic, options, draft, polished }: StyleTask, ctx: ArticleContext) {
    const [from, to] = PROGRESS.style
    return streamStep(ctx, {
      messages: stylePrompt(topic, draft, options),
      task: 'style',
      step: 'style',
      expectedChars: draft.length,
      progressAt: (fraction) => from + (to - from) * fraction,
      draft: polished,
    })
  }

  override async post(
    state: ArticleState,
    _task: StyleTask,
    result: LlmResult,
    ctx: ArticleContext,
  ) {
    state.styled = result.text.trim()
    ctx.events.emitLater({ type: 'step.completed', step: 'style' }, PROGRESS.style[1])
    return undefined
  }
}
