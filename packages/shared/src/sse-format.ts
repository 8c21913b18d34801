/**
 * Server-Sent Events framing as pure functions (WHATWG HTML §9.2).
 *
 * Every field is made safe to write: a line break inside an event name or id could
 * otherwise end the field early and forge a second field or frame, so those are
 * stripped; a line break inside data is legal and becomes one `data:` line per line.
 */

const LINE_BREAK = /\r\n|\r|\n/

/** Removes everything that could end a field line (and NUL, which voids an id). */
const singleLine = (value: string): string => value.replace(/[\r\n\0]/g, '')

export interface SseFrame {
  /** `event:` field; omitted when absent. */
  event?: string
  /** `data:` payload; each line of it becomes its own `data:` line. */
  data: string
  /** `id:` field, written last so a client that records it on parse never skips a cut frame. */
  id?: string | number
}

/** One event frame, ending in the blank line that dispatches it. */
export function formatFrame(frame: SseFrame): string {
  let out = ''
  if (frame.event !== undefined) out += `event: ${singleLine(frame.event)}\n`
  for (const line of frame.data.split(LINE_BREAK)) out += `data: ${line}\n`
  if (frame.id !== undefined) out += `id: ${singleLine(String(frame.id))}\n`
  return `${out}\n`
}

/** A comment frame (`: text`), ignored by clients; used as a heartbeat. */
export function formatComment(text: string): string {
  return `${text
    .split(LINE_BREAK)
    .map((line) => `: ${line}\n`)
    .join('')}\n`
}

/** The reconnection-delay hint, in whole milliseconds. */
export function formatRetry(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`retry must be a non-negative number, got ${ms}`)
  return `retry: ${Math.floor(ms)}\n\n`
}
