/** A polished article using every block the renderer meets, for tests that stream it. */
export const RICH_ARTICLE = [
  '# Tea: A Practical Guide',
  '',
  'If you have ever wondered about **tea**, you are in *good* company.',
  '',
  '## What tea really is',
  '',
  'Tea is a [leaf](https://example.com/leaf "The leaf") steeped in water.',
  'A second line of the same paragraph, with `code` in it.',
  '',
  '- green',
  '- black, which is *oxidised*',
  '',
  '1. boil',
  '2. steep',
  '',
  '## A short history',
  '',
  '> Quoted words.',
  '',
  '```',
  '## not a heading',
  '```',
  '',
  '| a | b |',
  '|---|---|',
  '| 1 | 2 |',
  '',
  'See [the source][src] ~~twice~~.',
  '',
  '[src]: https://example.com/src',
  '',
].join('\n')

/** Word-sized tokens that concatenate back to `text`, as a model streams them. */
export const tokenize = (text: string): string[] => text.match(/\s*\S+|\s+$/g) ?? []

/** Every prefix `tokenize` would show on the way to `text`, the last being `text`. */
export function prefixes(text: string): string[] {
  const out: string[] = []
  let sofar = ''
  for (const token of tokenize(text)) {
    sofar += token
    out.push(sofar)
  }
  return out
}

/** The visible text of rendered HTML (tags dropped, entities read), for marker checks. */
export const visibleText = (html: string): string =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(
      /&(#\d+|amp|lt|gt|quot);/g,
      (m) =>
        ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"' })[m] ??
        String.fromCharCode(Number(m.slice(2, -1))),
    )
