import type { Article, ArticleSection } from '@inkflow/shared'
import type { ArticleState } from './article-state.js'

/**
 * The draft as Markdown: `# title`, the lead paragraph(s) when given, then `## section` and
 * its text for each section.
 */
export function draftMarkdown(title: string, sections: ArticleSection[], lead = ''): string {
  const head = lead ? [`# ${title}`, lead] : [`# ${title}`]
  return [...head, ...sections.map((s) => `## ${s.title}\n\n${s.content.trim()}`)].join('\n\n')
}

/** Splits Markdown on `#`/`##` headings; text before the first `##` is the lead. */
export function splitMarkdown(markdown: string): {
  title?: string
  lead: string
  sections: ArticleSection[]
} {
  let title: string | undefined
  const lead: string[] = []
  const sections: { title: string; lines: string[] }[] = []
  for (const line of markdown.split('\n')) {
    const h1 = /^#\s+(.+?)\s*$/.exec(line)
    const h2 = /^##\s+(.+?)\s*$/.exec(line)
    if (h1 && title === undefined && sections.length === 0) title = h1[1]
    else if (h2) sections.push({ title: h2[1]!, lines: [] })
    else (sections.at(-1)?.lines ?? lead).push(line)
  }
  return {
    title,
    lead: lead.join('\n').trim(),
    sections: sections.map((s) => ({ title: s.title, content: s.lines.join('\n').trim() })),
  }
}

/**
 * A revision's article: `base` with the content of section `index` replaced by `content`,
 * everything else as it was. Its Markdown is rebuilt from the sections like a draft's, with
 * the lead `base` had before its first section (the style pass's introduction) kept.
 */
export function revisedArticle(base: Article, index: number, content: string): Article {
  const sections = base.sections.map((s, i) =>
    i === index ? { ...s, content: content.trim() } : s,
  )
  const { lead } = splitMarkdown(base.markdown)
  const markdown = draftMarkdown(base.title, sections, lead)
  return { ...base, sections, markdown }
}

/**
 * The finished article. Its sections come from the polished text when the style pass kept
 * the headings, else from the draft, so a model that ignores the format never loses the work.
 */
export function assembleArticle(state: ArticleState): Article {
  if (state.revision && state.revised !== undefined) {
    const { base, section } = state.revision
    return revisedArticle(base, section, state.revised)
  }
  const outline = state.outline
  if (!outline) throw new Error('an article needs an outline')
  const draft = draftMarkdown(outline.title, state.sections)
  const styled = state.styled?.trim()
  const polished = styled ? splitMarkdown(styled) : undefined
  const { language } = state.options
  if (styled && polished && polished.sections.length > 0) {
    const title = polished.title ?? outline.title
    return { title, sections: polished.sections, markdown: styled, language }
  }
  const sections = state.sections.map((s) => ({ title: s.title, content: s.content.trim() }))
  return { title: outline.title, sections, markdown: draft, language }
}
