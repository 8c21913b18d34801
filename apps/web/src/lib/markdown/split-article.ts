/** An article's Markdown cut at its headings, as the API cuts it (`assembleArticle`). */
export interface SplitArticle {
  /** The `# ` title, once its line is complete. */
  title: string | undefined
  /** The text between the title and the first section. */
  lead: string
  /** Each `## ` heading and the text under it, trimmed. */
  sections: { title: string; body: string }[]
}

const TITLE = /^#[ \t]+(.+?)[ \t]*$/
const SECTION = /^##[ \t]+(.+?)[ \t]*$/
/** A heading's `#`s whose text has not arrived yet: nothing to show until it does. */
const BARE_MARKER = /^#{1,6}[ \t]*$/
const FENCE = /^ {0,3}(`{3,}|~{3,})/

/**
 * Cuts a text that may still be growing. The lines are the API's (`# ` title first, `## `
 * sections), plus what a text in mid-stream needs: a last line that is a bare `#`/`##` or a
 * title still being typed is held back, and `#` lines inside a code fence are text. Bodies
 * are trimmed, so each update's body starts with the one before: a renderer can keep it.
 */
export function splitArticle(markdown: string): SplitArticle {
  const lines = markdown.split('\n')
  let title: string | undefined
  const lead: string[] = []
  const sections: { title: string; lines: string[] }[] = []
  let fence: string | undefined
  for (const [i, line] of lines.entries()) {
    const writing = i === lines.length - 1 // the last line has no newline yet
    const body = sections.at(-1)?.lines ?? lead
    if (fence !== undefined) {
      if (line.trimStart().startsWith(fence)) fence = undefined
      body.push(line)
      continue
    }
    const opening = FENCE.exec(line)?.[1]
    if (opening) fence = opening
    const h1 = opening ? null : TITLE.exec(line)
    const h2 = opening ? null : SECTION.exec(line)
    const isTitle = h1 && title === undefined && sections.length === 0
    if (writing && (BARE_MARKER.test(line) || isTitle)) continue
    if (isTitle) title = h1[1]
    else if (h2) sections.push({ title: h2[1] ?? '', lines: [] })
    else body.push(line)
  }
  return {
    title,
    lead: lead.join('\n').trim(),
    sections: sections.map((s) => ({ title: s.title, body: s.lines.join('\n').trim() })),
  }
}
