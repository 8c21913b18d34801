import { Lexer, type Links, Marked, type Token } from 'marked'

/** Text as HTML that shows it as written: every character that could start markup escaped. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * Raw HTML in the model's Markdown is shown as text, never parsed: the article is the
 * model's words, and the model's words may be anything. Headings go one level down: the
 * article's `#` title is the page's second level (the topic is its `h1`).
 */
const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    heading({ tokens, depth }) {
      const level = Math.min(depth + 1, 6)
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`
    },
  },
})

/** HTML of blocks the lexer produced (not yet sanitized). */
export function renderTokens(tokens: Token[]): string {
  return marked.parser(tokens)
}

/** HTML of a Markdown text (not yet sanitized); `links` are definitions made before it. */
export function renderMarkdown(markdown: string, links: Links = {}): string {
  const lexer = new Lexer({ gfm: true })
  Object.assign(lexer.tokens.links, links)
  return renderTokens(lexer.lex(markdown))
}
