import remend from 'remend'

/**
 * A last line that so far is only block markup (`#`, `##`, `-`, `1.`, `>`, a fence's
 * backticks): what it marks has not arrived, and shown now it would be an empty heading or a
 * stray `#`. Held back until its first word comes.
 */
const MARKUP_ONLY_LAST_LINE = /(^|\n)[ \t]*(?:#{1,6}|[-*+]|\d{1,9}[.)]|>|`{1,3}|~{1,3})[ \t]*$/

/**
 * The open block of a text still being written, made fit to render: markup-only last line
 * held back, then remend closes what is open (`**bold`, `` `code ``, `[a link](http…`) so no
 * marker shows raw while its other half is on its way.
 */
export function healTail(open: string): string {
  return remend(open.replace(MARKUP_ONLY_LAST_LINE, '$1'), { linkMode: 'text-only' })
}
