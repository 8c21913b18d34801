import type { Article } from '@inkflow/shared/mini'
import { splitArticle } from '../markdown/split-article.js'
import type { ArticleParts, SectionPart } from './article-parts.js'
import type { JobView } from './job-view.js'

/**
 * What a revision job's page shows until its article arrives: the version it revises
 * (`base`), with the section being rewritten showing the new text as it streams and the
 * previous text, still readable, until the new one replaces it.
 */
export function revisionParts(base: Article, view: JobView): ArticleParts {
  const done = splitArticle(base.markdown)
  const rewriting = view.revision
  const sections = done.sections.map((s, index): SectionPart => {
    if (rewriting?.index !== index)
      return {
        index,
        title: s.title,
        draft: null,
        polished: s.body,
        state: 'polished',
        original: null,
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
