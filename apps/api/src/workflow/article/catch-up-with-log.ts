import { DEFAULT_READ_LIMIT, type EventLog } from '../../events/event-log.js'
import type { ResumePoint } from './article-context.js'
import { type ArticleState, OutlineSchema } from './article-state.js'

/**
 * Brings a restored checkpoint up to what the job's log already records, and finds where a
 * section or the style pass was cut off mid-way.
 *
 * An event is committed before the checkpoint that follows it, so a process killed in
 * between leaves an `outline.ready` or a `section.completed` in the log that the checkpoint
 * lacks. Taking them from the log means that paid-for work is not asked of the model again.
 * Likewise the `token` texts of the section (or style pass) being written when the process
 * stopped — everything since its last `section.started` (or `step.started`) — are the text
 * the next run carries on from; a revision's (`revise`) likewise, and its `section.completed`
 * is its result. Token usage of what was recovered was never checkpointed
 * and stays uncounted.
 */
export async function catchUpWithLog(
  state: ArticleState,
  log: EventLog,
  jobId: string,
): Promise<{ recovered: number; resume?: ResumePoint }> {
  let recovered = 0
  let afterSeq = 0
  // The text streamed for each section since its last start, and for the style pass.
  const sectionText = new Map<number, string>()
  let styleText: string | undefined
  // A revision's text since its last `step.started revise`.
  let reviseText: string | undefined
  for (;;) {
    const page = await log.read(jobId, afterSeq, DEFAULT_READ_LIMIT)
    for (const event of page) {
      if (event.type === 'outline.ready' && !state.outline) {
        const outline = OutlineSchema.safeParse({ title: event.title, sections: event.sections })
        if (outline.success) {
          state.outline = outline.data
          recovered++
        }
      } else if (event.type === 'section.started') {
        sectionText.set(event.index, '')
      } else if (event.type === 'step.started' && event.step === 'style') {
        styleText = ''
      } else if (event.type === 'step.started' && event.step === 'revise') {
        reviseText = ''
      } else if (event.type === 'token' && event.step === 'revise' && reviseText !== undefined) {
        reviseText += event.text
      } else if (event.type === 'token' && event.step === 'content' && event.index !== undefined) {
        const text = sectionText.get(event.index)
        if (text !== undefined) sectionText.set(event.index, text + event.text)
      } else if (event.type === 'token' && event.step === 'style' && styleText !== undefined) {
        styleText += event.text
      } else if (event.type === 'section.completed' && state.revision) {
        if (reviseText !== undefined && state.revised === undefined) {
          state.revised = event.content
          recovered++
        }
      } else if (event.type === 'section.completed') {
        sectionText.delete(event.index)
        if (
          state.outline &&
          // Only the next section, and only of this outline: earlier tries repeat indexes.
          event.index === state.sections.length &&
          event.title === state.outline.sections[event.index]
        ) {
          state.sections.push({ title: event.title, content: event.content })
          recovered++
        }
      }
    }
    const last = page.at(-1)
    if (!last || page.length < DEFAULT_READ_LIMIT) break
    afterSeq = last.seq
  }
  if (state.revision) {
    const cut = state.revised === undefined && reviseText ? reviseText : undefined
    return { recovered, resume: cut ? { step: 'revise', text: cut } : undefined }
  }
  return { recovered, resume: resumePoint(state, sectionText, styleText) }
}

/** The cut-off text the next run carries on from, if any reached the log. */
function resumePoint(
  state: ArticleState,
  sectionText: Map<number, string>,
  styleText: string | undefined,
): ResumePoint | undefined {
  const outline = state.outline
  if (!outline || state.styled !== undefined) return undefined
  const index = state.sections.length
  if (index < outline.sections.length) {
    const text = sectionText.get(index)
    return text ? { step: 'content', index, text } : undefined
  }
  return styleText ? { step: 'style', text: styleText } : undefined
}
