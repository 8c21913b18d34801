import DOMPurify from 'dompurify'
import { Marked } from 'marked'

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * Raw HTML in the model's Markdown is shown as text, never parsed: the article is the
 * model's words, and the model's words may be anything.
 */
const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
  },
})

// Links leave the app: open them in a new tab without handing over `window.opener`.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank')
    node.setAttribute('rel', 'noopener noreferrer nofollow')
  }
})

/**
 * Markdown to HTML that is safe to insert: raw HTML escaped, then everything run through
 * DOMPurify, which drops `<script>`, `on*=` handlers and `javascript:` URLs among the rest.
 */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown) as string
  return DOMPurify.sanitize(html, {
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe'],
    FORBID_ATTR: ['style'],
    ALLOW_DATA_ATTR: false,
  })
}
