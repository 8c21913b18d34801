import type { Article } from '@inkflow/shared'
import { splitArticle } from '../markdown/split-article.js'
import type { ArticleParts, SectionPart } from './article-parts.js'
import type { JobView } from './job-view.js'

/**
 * What a revision job's page shows until its article arrives: the version it revises
 * (`base`), with the section being rewritten showing the new text as it streams and the
 * previous text, still readable, until the new one replaces it. A rewrite that stopped (the
 * job failed or was cancelled) leaves the previous text alone; a finished one stands alone.
 */
export function revisionParts(base: Article, view: JobView): ArticleParts {
  const done = splitArticle(base.markdown)
  const rewriting = view.revision
  const sections = done.sections.map((s, index): SectionPart => {
    const kept = { index, title: s.title, draft: null, polished: s.body, original: null }
    if (rewriting?.index !== index || rewriting.state === 'stopped')
      return { ...kept, state: 'polished' }
    if (rewriting.state === 'done')
      return {
        ...kept,
        title: rewriting.title || s.title,
        polished: rewriting.text,
        state: 'polished',
      }
    return {
      index,
      title: rewriting.title || s.title,
      draft: s.body,
      polished: rewriting.text,
      state: 'revising',
      original: null,
    }
  })
  return {
    title: done.title ?? base.title,
    lead: done.lead,
    leadWriting: false,
    sections,
    polished: sections.filter((s) => s.state === 'polished').length,
  }
}
