import type { JobOptions } from '@inkflow/shared'
import { Node } from '../engine/node.js'
import { type ArticleContext, PROGRESS, streamStep } from './article-context.js'
import type { ArticleState, Outline } from './article-state.js'
import { parseOutline } from './outline-parser.js'
import { outlinePrompt } from './prompts.js'

/** A typical outline's length in characters, to pace progress while it streams. */
const EXPECTED_OUTLINE_CHARS = 300

/** Step 1: one call that plans the article as YAML; malformed output is retried. */
export class OutlineNode extends Node<
  ArticleState,
  ArticleContext,
  { topic: string; options: JobOptions },
  Outline
> {
  override isComplete(state: ArticleState) {
    return state.outline !== undefined
  }

  override async prep(state: ArticleState, ctx: ArticleContext) {
    ctx.events.emitLater({ type: 'step.started', step: 'outline' }, PROGRESS.outline[0])
    return { topic: state.topic, options: state.options }
  }

  override async exec(
    { topic, options }: { topic: string; options: JobOptions },
    ctx: ArticleContext,
  ) {
    const [from, to] = PROGRESS.outline
    const result = await streamStep(ctx, {
      messages: outlinePrompt(topic, options),
      task: 'outline',
      step: 'outline',
      expectedChars: EXPECTED_OUTLINE_CHARS,
      progressAt: (fraction) => from + (to - from) * fraction,
    })
    return parseOutline(result.text)
  }

  override async post(state: ArticleState, _prep: unknown, outline: Outline, ctx: ArticleContext) {
    state.outline = outline
    ctx.events.emitLater(
      { type: 'outline.ready', title: outline.title, sections: outline.sections },
      PROGRESS.outline[1],
    )
    ctx.events.emitLater({ type: 'step.completed', step: 'outline' })
    return undefined
  }
}
