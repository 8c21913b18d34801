import type { Article, ArticleSection } from '@inkflow/shared'
import type { ArticleState } from './article-state.js'

/** The draft as Markdown: `# title`, then `## section` and its text for each section. */
export function draftMarkdown(title: string, sections: ArticleSection[]): string {
  return [`# ${title}`, ...sections.map((s) => `## ${s.title}\n\n${s.content.trim()}`)].join('\n\n')
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
 * The finished article. Its sections come from the polished text when the style pass kept
 * the headings, else from the draft, so a model that ignores the format never loses the work.
 */
export function assembleArticle(state: ArticleState): Article {
  const outline = state.outline
  if (!outline) throw new Error('an article needs an outline')
  const draft = draftMarkdown(outline.title, state.sections)
  const styled = state.styled?.trim()
  const polished = styled ? splitMarkdown(styled) : undefined
  if (styled && polished && polished.sections.length > 0) {
    return { title: polished.title ?? outline.title, sections: polished.sections, markdown: styled }
  }
  const sections = state.sections.map((s) => ({ title: s.title, content: s.content.trim() }))
  return { title: outline.title, sections, markdown: draft }
}
