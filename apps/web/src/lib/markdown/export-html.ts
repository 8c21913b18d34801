import { markdownHtml } from './live-markdown.js'
import { escapeHtml } from './render-markdown.js'

/** What an exported article needs: its Markdown, its title and its language. */
export interface ExportedArticle {
  title: string
  markdown: string
  language: string
  dir: 'ltr' | 'rtl'
}

/**
 * The page renders the article's `#` title as its `h2` (the topic is the page's `h1`); a file
 * of its own starts at `h1`. The sanitized HTML's headings carry no attributes.
 */
const headingsUp = (html: string) =>
  html.replace(
    /<(\/?)h([2-6])>/g,
    (_, slash: string, level: string) => `<${slash}h${Number(level) - 1}>`,
  )

/**
 * Inline, so the file stands alone. Print styles included: the file prints as it reads.
 * System fonts and the reader's colour scheme, as the app has them.
 */
const STYLE = `
:root { color-scheme: light dark; }
body { margin: 0 auto; max-width: 42rem; padding: 2rem 1.25rem 4rem;
  font: 1.0625rem/1.65 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: #1d1c1a; background: #fff; }
@media (prefers-color-scheme: dark) { body { color: #ecebe8; background: #1b1a19; } a { color: #a9b4ff; } }
h1, h2, h3 { line-height: 1.25; }
h1 { font-size: 2rem; margin: 0 0 1.25rem; }
h2 { font-size: 1.4rem; margin: 2rem 0 0.6rem; }
a { color: #3e4fd6; }
pre, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
pre { overflow-x: auto; padding: 0.75rem; border-radius: 6px; background: rgb(127 127 127 / 0.12); }
blockquote { margin: 1rem 0; padding-inline-start: 1rem; border-inline-start: 3px solid #b8b3aa; }
img { max-width: 100%; }
@media print { body { max-width: none; padding: 0; color: #000; background: #fff; } a { color: inherit; } }
`

/**
 * The article as a standalone HTML file: rendered and sanitized as the page shows it, with
 * `<html lang dir>`, inline styles, and a Content-Security-Policy that runs no script and
 * loads nothing but images, should anything the sanitizer let through try.
 */
export function articleHtmlDocument(article: ExportedArticle): string {
  const body = headingsUp(markdownHtml(article.markdown))
  return `<!doctype html>
<html lang="${escapeHtml(article.language)}" dir="${article.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src https: data:">
<meta name="generator" content="inkflow">
<title>${escapeHtml(article.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<article>
${body}
</article>
</body>
</html>
`
}
