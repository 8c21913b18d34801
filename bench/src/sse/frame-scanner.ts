/** One SSE event frame as the load generator needs it: no JSON parse, just the markers. */
export interface ScannedFrame {
  /** The `event:` field, `message` when absent. */
  type: string
  /** The `id:` field as a number; NaN when absent. */
  seq: number
  /** `Date.parse` of the `"ts":"…"` field in the data; NaN when absent. */
  tsMs: number
  /**
   * In a `token` frame of the content step, the time its first (oldest) token was produced, from the demo
   * model's `[t=<ms>]` stamp (`DEMO_TOKEN_STAMPS=1`); NaN when unstamped.
   */
  stampMs: number
  /** Bytes of the frame, blank line included. */
  bytes: number
  /** The frame's text without the final blank line. */
  text: string
}

const TS_MARK = '"ts":"'
const STAMP_MARK = '[t='
const CONTENT_STEP = '"step":"content"'
/** Milliseconds since the epoch have 13 digits until the year 2286. */
const STAMP_DIGITS = 13
/** An ISO timestamp with milliseconds, `2026-11-20T10:00:00.000Z`, is 24 characters. */
const TS_LENGTH = 24

let cachedDay = ''
let cachedDayMs = 0
const digit = (s: string, i: number) => s.charCodeAt(i) - 48

/**
 * `Date.parse` of an ISO UTC timestamp with milliseconds, for a hundred thousand frames a
 * second: the day is parsed once (every frame of a run shares it) and the time of day is
 * read off its digits. Anything else goes to `Date.parse`.
 */
export function parseTimestamp(text: string): number {
  if (text.length !== TS_LENGTH || text.charCodeAt(23) !== 90 /* Z */) return Date.parse(text)
  const day = text.slice(0, 10)
  if (day !== cachedDay) {
    cachedDayMs = Date.parse(day) // a date-only ISO string is UTC midnight
    cachedDay = day
  }
  const hours = digit(text, 11) * 10 + digit(text, 12)
  const minutes = digit(text, 14) * 10 + digit(text, 15)
  const seconds = digit(text, 17) * 10 + digit(text, 18)
  const ms = digit(text, 20) * 100 + digit(text, 21) * 10 + digit(text, 22)
  return cachedDayMs + ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms
}

/** Reads the fields the benchmark needs out of one frame's text (no trailing blank line). */
export function scanFrame(text: string): ScannedFrame | undefined {
  // Comments (`: ping`) and the `retry:` hint carry no event.
  if (text.startsWith(':') || text.startsWith('retry:')) return undefined
  let type = 'message'
  if (text.startsWith('event: ')) {
    const eol = text.indexOf('\n')
    type = text.slice(7, eol < 0 ? text.length : eol)
  }
  const idAt = text.lastIndexOf('\nid: ')
  const seq = idAt < 0 ? Number.NaN : Number(text.slice(idAt + 5))
  const tsAt = text.indexOf(TS_MARK)
  const tsMs = tsAt < 0 ? Number.NaN : parseTimestamp(text.slice(tsAt + 6, tsAt + 6 + TS_LENGTH))
  // Content tokens only: the style pass rewrites the draft, old stamps and all.
  const stampAt = type === 'token' && text.includes(CONTENT_STEP) ? text.indexOf(STAMP_MARK) : -1
  const stampMs =
    stampAt < 0 ? Number.NaN : Number(text.slice(stampAt + 3, stampAt + 3 + STAMP_DIGITS))
  return { type, seq, tsMs, stampMs, bytes: text.length + 2, text }
}

/**
 * Splits an SSE byte stream (as latin1 text, in pieces of any size) into frames at each
 * blank line and hands each event frame to `onFrame`. Only `\n` line ends are handled:
 * both servers measured here write nothing else.
 */
export function createFrameScanner(onFrame: (frame: ScannedFrame) => void) {
  let buffer = ''
  return {
    feed(text: string): void {
      buffer += text
      let start = 0
      for (;;) {
        const end = buffer.indexOf('\n\n', start)
        if (end < 0) break
        const frame = scanFrame(buffer.slice(start, end))
        if (frame) onFrame(frame)
        start = end + 2
      }
      buffer = start === 0 ? buffer : buffer.slice(start)
    },
  }
}
