import type { JobOptions } from '@inkflow/shared'
import type { LlmResult } from '../../llm/llm.js'
import { BatchNode } from '../engine/batch-node.js'
import { type ArticleContext, type Draft, PROGRESS, streamStep } from './article-context.js'
import type { ArticleState, Outline } from './article-state.js'
import { SECTION_WORDS, sectionPrompt } from './prompts.js'

/** Characters per word asked, to pace progress while a section streams. */
const CHARS_PER_WORD = 6.5

interface SectionTask {
  topic: string
  options: JobOptions
  outline: Outline
  index: number
  /** The section's text so far, kept across tries: a retry carries on from it. */
  draft: Draft
  /** Whether `section.started` went out for this run of the section. */
  announced: boolean
}

/** Progress at a point within section `index` of `count`, inside the content band. */
function sectionProgress(index: number, count: number, fraction: number): number {
  const [from, to] = PROGRESS.content
  return from + ((to - from) * (index + fraction)) / count
}

/** Step 2: one streamed call per section, each checkpointed as it finishes. */
export class ContentNode extends BatchNode<ArticleState, ArticleContext, SectionTask, LlmResult> {
  override isComplete(state: ArticleState) {
    return state.outline !== undefined && state.sections.length === state.outline.sections.length
  }

  override async prep(state: ArticleState, ctx: ArticleContext): Promise<SectionTask[]> {
    const outline = state.outline
    if (!outline) throw new Error('the content step needs an outline')
    ctx.events.emitLater({ type: 'step.started', step: 'content' }, PROGRESS.content[0])
    // Sections finished before a crash are kept; only the rest are written. A section the
    // log holds part of carries on from that text, under the `section.started` it had.
    const resume = ctx.resume?.step === 'content' ? ctx.resume : undefined
    return outline.sections.slice(state.sections.length).map((_, i) => {
      const index = state.sections.length + i
      const text = resume?.index === index ? resume.text : ''
      const { topic, options } = state
      return { topic, options, outline, index, draft: { text }, announced: text !== '' }
    })
  }

  override async execItem(task: SectionTask, ctx: ArticleContext) {
    const { topic, options, outline, index, draft } = task
    const count = outline.sections.length
    const title = outline.sections[index]!
    // Once per run, unless carrying on: a client drops the section's text when it sees this.
    if (!task.announced) {
      task.announced = true
      ctx.events.emitLater(
        { type: 'section.started', index, title },
        sectionProgress(index, count, 0),
      )
    }
    return streamStep(ctx, {
      messages: sectionPrompt(topic, outline, index, options),
      task: 'section',
      step: 'content',
      index,
      expectedChars: SECTION_WORDS[options.length] * CHARS_PER_WORD,
      progressAt: (fraction) => sectionProgress(index, count, fraction),
      draft,
    })
  }

  override async postItem(
    state: ArticleState,
    { outline, index }: SectionTask,
    result: LlmResult,
    ctx: ArticleContext,
  ) {
    const title = outline.sections[index]!
    state.sections.push({ title, content: result.text })
    ctx.events.emitLater(
      { type: 'section.completed', index, title, content: result.text },
      sectionProgress(index, outline.sections.length, 1),
    )
  }

  override async post(
    _state: ArticleState,
    _items: SectionTask[],
    _results: LlmResult[],
    ctx: ArticleContext,
  ) {
    ctx.events.emitLater({ type: 'step.completed', step: 'content' }, PROGRESS.content[1])
    return undefined
  }
}
