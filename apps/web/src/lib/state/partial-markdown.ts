import type { ArticleParts } from './article-parts.js'

/**
 * What was written of an article that ended unfinished, as Markdown shaped like a finished
 * one (`# title`, the lead, a `## ` per section): the polished text where there is one, else
 * the draft. The sections never reached are left out.
 */
export function partialMarkdown(parts: ArticleParts): string {
  const blocks = [`# ${parts.title}`]
  if (parts.lead) blocks.push(parts.lead)
  for (const s of parts.sections) {
    const text = [s.polished, s.draft].filter((t) => t?.trim()).join('\n\n')
    blocks.push(`## ${s.title}`, text)
  }
  return `${blocks.filter((b) => b.trim() !== '').join('\n\n')}\n`
}
