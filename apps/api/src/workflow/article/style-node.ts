import type { LlmResult } from '../../llm/llm.js'
import { Node } from '../engine/node.js'
import { type ArticleContext, addUsage, PROGRESS, streamedFraction } from './article-context.js'
import { draftMarkdown } from './article-markdown.js'
import type { ArticleState } from './article-state.js'
import { stylePrompt } from './prompts.js'

interface StyleTask {
  topic: string
  title: string
  draft: string
}

/** Step 3: one streamed call that rewrites the whole draft in a conversational tone. */
export class StyleNode extends Node<ArticleState, ArticleContext, StyleTask, LlmResult> {
  override isComplete(state: ArticleState) {
    return state.styled !== undefined
  }

  override async prep(state: ArticleState, ctx: ArticleContext): Promise<StyleTask> {
    const outline = state.outline
    if (!outline) throw new Error('the style step needs an outline')
    await ctx.events.emit({ type: 'step.started', step: 'style' }, PROGRESS.style[0])
    return {
      topic: state.topic,
      title: outline.title,
      draft: draftMarkdown(outline.title, state.sections),
    }
  }

  override async exec({ topic, title, draft }: StyleTask, ctx: ArticleContext) {
    const [from, to] = PROGRESS.style
    let chars = 0
    return ctx.llm.complete({
      messages: stylePrompt(draft),
      hint: { task: 'style', topic, title, draft },
      signal: ctx.signal,
      onToken: (text) => {
        chars += text.length
        ctx.events.token(
          'style',
          undefined,
          text,
          from + (to - from) * streamedFraction(chars, draft.length),
        )
      },
    })
  }

  override async post(
    state: ArticleState,
    _task: StyleTask,
    result: LlmResult,
    ctx: ArticleContext,
  ) {
    state.styled = result.text.trim()
    state.usage = addUsage(state.usage, result.usage)
    await ctx.events.emit({ type: 'step.completed', step: 'style' }, PROGRESS.style[1])
    return undefined
  }
}
