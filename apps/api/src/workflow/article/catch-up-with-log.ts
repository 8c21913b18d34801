import { DEFAULT_READ_LIMIT, type EventLog } from '../../events/event-log.js'
import { type ArticleState, OutlineSchema } from './article-state.js'

/**
 * Brings a restored checkpoint up to what the job's log already records, and returns how
 * many results it took from the log.
 *
 * An event is committed before the checkpoint that follows it, so a process killed in
 * between leaves an `outline.ready` or a `section.completed` in the log that the checkpoint
 * lacks. Taking them from the log means that paid-for work is not asked of the model again.
 * Their token usage was never checkpointed and stays uncounted; the style pass has no
 * result event and is redone.
 */
export async function catchUpWithLog(
  state: ArticleState,
  log: EventLog,
  jobId: string,
): Promise<number> {
  let recovered = 0
  let afterSeq = 0
  for (;;) {
    const page = await log.read(jobId, afterSeq, DEFAULT_READ_LIMIT)
    for (const event of page) {
      if (event.type === 'outline.ready' && !state.outline) {
        const outline = OutlineSchema.safeParse({ title: event.title, sections: event.sections })
        if (outline.success) {
          state.outline = outline.data
          recovered++
        }
      } else if (
        event.type === 'section.completed' &&
        state.outline &&
        // Only the next section, and only of this outline: earlier tries repeat indexes.
        event.index === state.sections.length &&
        event.title === state.outline.sections[event.index]
      ) {
        state.sections.push({ title: event.title, content: event.content })
        recovered++
      }
    }
    const last = page.at(-1)
    if (!last || page.length < DEFAULT_READ_LIMIT) return recovered
    afterSeq = last.seq
  }
}
