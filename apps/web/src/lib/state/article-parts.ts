import { isTerminalStatus } from '@inkflow/shared'
import { splitArticle } from '../markdown/split-article.js'
import type { JobView } from './job-view.js'

/**
 * Where a section is: its draft being written or written, its polished version being
 * written (taking the draft's place paragraph by paragraph) or done (it has replaced it);
 * or, in a revision, being rewritten (the new text in `polished`, the previous in `draft`).
 */
export type SectionPartState = 'writing' | 'written' | 'polishing' | 'polished' | 'revising'

export interface SectionPart {
  /** The section's index in the outline. */
  index: number
  title: string
  /**
   * The draft's text still shown: all of it while written, the paragraphs the polished
   * version has not reached yet while polishing; null when nothing of it is left to show.
   */
  draft: string | null
  /** The style pass's text for this section, from its beginning, from the moment it begins. */
  polished: string | null
  state: SectionPartState
  /** The whole draft, once polished text has taken its place: for "show the draft". */
  original: string | null
}

/** What the article card shows: one text per part, each growing at its end only. */
export interface ArticleParts {
  title: string
  /** The polished introduction (the text before the first section), if any. */
  lead: string
  leadWriting: boolean
  sections: SectionPart[]
  /** Sections whose polished version has replaced the draft. */
  polished: number
}

const paragraphs = (text: string) => text.split(/\n[ \t]*\n/).filter((p) => p.trim() !== '')

/**
 * The draft's paragraphs the polished text has not reached: the one being polished replaces
 * its draft as soon as it begins (the style pass rewrites a section paragraph by paragraph).
 */
function draftLeft(draft: string, polished: string): string | null {
  const left = paragraphs(draft).slice(paragraphs(polished).length)
  return left.length > 0 ? left.join('\n\n') : null
}

/**
 * The article as the reader should see it. During the style pass the draft stays, and the
 * polished text takes its place one section at a time, once that section is complete; it is
 * never a blank page restarting from the top. The finished article comes from the job's own
 * Markdown, cut the same way, so the hand-over at the end changes nothing on screen.
 */
export function articleParts(view: JobView): ArticleParts {
  if (view.article) {
    const done = splitArticle(view.article.markdown)
    const sections = done.sections.map(
      (s, index): SectionPart => ({
        index,
        title: s.title,
        draft: null,
        polished: s.body,
        state: 'polished',
        original: view.sections[index]?.text || null,
      }),
    )
    const title = done.title ?? view.article.title
    return { title, lead: done.lead, leadWriting: false, sections, polished: sections.length }
  }
  const ended = isTerminalStatus(view.status)
  const styleDone = view.steps.style === 'done'
  const polish = view.steps.style === 'pending' ? splitArticle('') : splitArticle(view.polished)
  const sections: SectionPart[] = []
  for (let index = 0; index < Math.max(view.sections.length, polish.sections.length); index++) {
    const draft = view.sections[index]
    const p = polish.sections[index]
    const complete = p !== undefined && (index < polish.sections.length - 1 || styleDone)
    const original = draft?.text || null
    if (p && complete) {
      sections.push({
        index,
        title: p.title,
        draft: null,
        polished: p.body,
        state: 'polished',
        original,
      })
    } else if (p && !ended) {
      sections.push({
        index,
        title: draft?.title ?? p.title,
        draft: draftLeft(draft?.text ?? '', p.body),
        polished: p.body,
        state: 'polishing',
        original,
      })
    } else if (draft && draft.state !== 'pending') {
      const state = draft.state === 'writing' && !ended ? 'writing' : 'written'
      sections.push({
        index,
        title: draft.title,
        draft: draft.text,
        polished: null,
        state,
        original: null,
      })
    }
  }
  return {
    title: polish.title ?? view.title,
    lead: polish.lead,
    leadWriting: !ended && !styleDone && polish.sections.length === 0,
    sections,
    polished: sections.filter((s) => s.state === 'polished').length,
  }
}
