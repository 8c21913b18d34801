/** The longest file name slug, in graphemes (what a reader counts as characters). */
const SLUG_MAX_GRAPHEMES = 80

const WORD = /^[\p{Letter}\p{Number}]/u

/**
 * A file name from an article title: lowercase words joined by dashes, then `.extension`
 * (Markdown by default). Cut by grapheme (`Intl.Segmenter`), never by code unit or byte, so
 * a letter and its marks stay together in every script (Arabic vowel signs, Devanagari
 * matras, emoji sequences are never split).
 */
export function articleFileName(title: string, extension = 'md'): string {
  const graphemes = [
    ...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(
      title.normalize('NFC').toLocaleLowerCase(),
    ),
  ].map((g) => (WORD.test(g.segment) ? g.segment : '-'))
  const slug = graphemes
    .join('')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
  const cut = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(slug)]
    .slice(0, SLUG_MAX_GRAPHEMES)
    .map((g) => g.segment)
    .join('')
    .replace(/-+$/, '')
  return `${cut || 'article'}.${extension}`
}

/** Saves `markdown` as a `.md` file through a temporary object URL. */
export function downloadMarkdown(markdown: string, fileName: string): void {
  downloadText(markdown, fileName, 'text/markdown;charset=utf-8')
}

/** Saves `text` as a file of `type` through a temporary object URL. */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName })
  document.body.append(link)
  link.click()
  link.remove()
  // Revoke after the click has been handled, not before the download starts.
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
