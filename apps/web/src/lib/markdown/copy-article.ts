import { loadMarkdownHtml } from './load-markdown.js'

/**
 * Puts an article on the clipboard twice over: `text/plain` holds its Markdown (for editors
 * and chat), `text/html` the rendered article (for documents and mail, which take it as rich
 * text). The HTML is a promise inside the `ClipboardItem`, so the write starts within the
 * click that asked for it. Where `ClipboardItem` is missing, the Markdown alone.
 */
export async function copyArticle(markdown: string): Promise<void> {
  if (typeof ClipboardItem === 'undefined') return navigator.clipboard.writeText(markdown)
  const html = loadMarkdownHtml().then(
    (toHtml) => new Blob([toHtml(markdown)], { type: 'text/html' }),
  )
  await navigator.clipboard.write([
    new ClipboardItem({
      'text/plain': new Blob([markdown], { type: 'text/plain' }),
      'text/html': html,
    }),
  ])
}
