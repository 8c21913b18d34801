/** How much of a continuation is held back to look for text the model repeated. */
const LOOKAHEAD_CHARS = 120

/** A repeat shorter than this may be chance ("the", a letter): only longer ones are cut. */
const MIN_REPEAT_CHARS = 12

/**
 * Drops what a continuing model repeats of the text it was asked to carry on from.
 *
 * Asked to go on from `written`, a model usually starts right after it, but may restate its
 * last words first. The first deltas are held back until `LOOKAHEAD_CHARS` have come (or
 * the answer ends); then the longest start of them that `written` already ends with is cut,
 * if it is a real repeat (`MIN_REPEAT_CHARS` or more), as is a space doubled at the seam.
 * Everything after goes through as it comes.
 */
export function createOverlapTrimmer(written: string, emit: (text: string) => void) {
  const lookahead = Math.min(LOOKAHEAD_CHARS, written.length)
  let held: string | undefined = lookahead > 0 ? '' : undefined

  const release = () => {
    if (held === undefined) return
    const text = held
    held = undefined
    const cut = repeatedPrefix(written, text)
    if (cut < text.length) emit(text.slice(cut))
  }

  return {
    push(delta: string): void {
      if (held === undefined) {
        emit(delta)
        return
      }
      held += delta
      if (held.length >= lookahead) release()
    },
    /** The answer ended: let out what is still held. */
    end: release,
  }
}

/** How many leading characters of `next` repeat the end of `written`. */
export function repeatedPrefix(written: string, next: string): number {
  for (let k = Math.min(written.length, next.length); k >= MIN_REPEAT_CHARS; k--) {
    if (written.endsWith(next.slice(0, k))) return k
  }
  const seam = /^\s+/.exec(next)?.[0].length ?? 0
  return seam > 0 && /\s$/.test(written) ? seam : 0
}
