import { healTail } from './heal-tail.js'
import { MarkdownBlocks } from './markdown-blocks.js'
import { renderMarkdown, renderTokens } from './render-markdown.js'
import { sanitizeHtml } from './sanitize-html.js'

/**
 * Shows a Markdown text that grows, in `root`, rendered and sanitized. Final blocks are
 * rendered once and appended; only the open block at the end is rendered again on each
 * update. So a token costs the size of one paragraph, and what is on screen above it never
 * moves. This module is the lazily loaded chunk: marked, DOMPurify and remend come with it.
 */
export class LiveMarkdown {
  readonly #blocks = new MarkdownBlocks()
  /** Holds the open block; `display: contents`, so its elements flow like the final ones. */
  readonly #open: HTMLElement
  #shown: { open: string; streaming: boolean } | undefined

  constructor(private readonly root: HTMLElement) {
    this.#open = document.createElement('div')
    this.#open.className = 'md-open'
    root.replaceChildren(this.#open)
  }

  update(text: string, streaming: boolean): void {
    const { reset, settled, open } = this.#blocks.update(text)
    if (reset) {
      this.root.replaceChildren(this.#open)
      this.#shown = undefined
    }
    const blocks = settled.filter((t) => t.type !== 'space' && t.type !== 'def')
    if (blocks.length > 0) this.#open.before(sanitizeHtml(renderTokens(blocks)))
    if (this.#shown?.open === open && this.#shown.streaming === streaming && blocks.length === 0)
      return
    // A text still being written gets its open block healed; a finished one is shown as is.
    const source = streaming ? healTail(open) : open
    this.#open.replaceChildren(sanitizeHtml(renderMarkdown(source, this.#blocks.links)))
    this.#shown = { open, streaming }
  }
}

/**
 * A whole Markdown text as sanitized HTML, for the clipboard's `text/html`: pasted into a
 * document, the article keeps its headings, lists and emphasis instead of showing `#` marks.
 */
export function markdownHtml(markdown: string): string {
  const box = document.createElement('div')
  box.append(sanitizeHtml(renderMarkdown(markdown)))
  return box.innerHTML
}
