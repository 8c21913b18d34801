/**
 * The first words of each step and section, read off an SSE stream whose model stamps them:
 * `@inkflow/llm-stub` with `stampFirstToken` puts `# t=<ms since epoch>\n` before each
 * answer's first token. The API passes a step's first delta on as the start of that step's
 * (and section's) first `token` event, so the lag from the model's first words to the
 * reader is that event's arrival time less the stamp.
 */

/** The stub's stamp, only at the very start of a text: a stamp further in is an older answer's, echoed (the style pass rewrites the stamped draft). */
const STAMP = /^# t=(\d+(?:\.\d+)?)\n/
const DATA_MARK = '\ndata: '

/**
 * Now, in ms since the epoch with sub-millisecond precision, on the clock the stub stamps
 * with (`performance.timeOrigin + performance.now()`: both processes on one machine).
 */
export const preciseNow = (): number => performance.timeOrigin + performance.now()

/**
 * The step and section of a `token` frame (`outline`, `content.0`, `content.1`…, `style`)
 * and its text; undefined when the frame has no JSON `data:` line with a `step`.
 */
export function readTokenFrame(frameText: string): { key: string; text: string } | undefined {
  // A newline in front, so a frame without an `event:` line reads like one with it.
  const lines = `\n${frameText}`
  const at = lines.indexOf(DATA_MARK)
  if (at < 0) return undefined
  const eol = lines.indexOf('\n', at + DATA_MARK.length)
  // One data line: JSON never holds a raw newline. A few token frames per section: parse them.
  const data = JSON.parse(lines.slice(at + DATA_MARK.length, eol < 0 ? lines.length : eol)) as {
    step?: unknown
    index?: unknown
    text?: unknown
  }
  if (typeof data.step !== 'string') return undefined
  const key = typeof data.index === 'number' ? `${data.step}.${data.index}` : data.step
  return { key, text: typeof data.text === 'string' ? data.text : '' }
}

/** The stamp at the start of `text`, in ms since the epoch; NaN when it does not start with one. */
export function readStamp(text: string): number {
  const match = STAMP.exec(text)
  return match ? Number(match[1]) : Number.NaN
}

/**
 * Records, for the first `token` frame of each step and section, `receivedAt − stamp` in
 * `lags` under its key; later frames of a key are ignored. `null` marks a key whose first
 * frame could not be measured: no stamp, or `receivedAt` NaN (a frame replayed on connect,
 * which would time the reader's connection, not the delivery).
 */
export function noteFirstWords(
  lags: Record<string, number | null>,
  frameText: string,
  receivedAt: number,
): void {
  const frame = readTokenFrame(frameText)
  if (!frame || frame.key in lags) return
  const lag = receivedAt - readStamp(frame.text)
  lags[frame.key] = Number.isFinite(lag) ? lag : null
}
