import { formatComment, formatFrame, formatRetry, type ProgressEvent } from '@inkflow/shared'
import { SSE_RETRY_MS } from './sse-constants.js'

/**
 * A frame's bytes, encoded once however many streams carry it: as one HTTP/1.1 chunk (size
 * line, the frame, CRLF), which a stream that declared its own chunked framing writes to its
 * socket as is, and the frame alone (a view into the chunk) for Node's own `res.write`.
 */
export interface FrameBytes {
  readonly chunk: Buffer
  readonly body: Buffer
}

export function encodeFrameBytes(text: string): FrameBytes {
  const head = `${Buffer.byteLength(text).toString(16)}\r\n`
  // One encoding pass: the size line is ASCII, so its bytes are its characters.
  const chunk = Buffer.from(`${head}${text}\r\n`)
  return { chunk, body: chunk.subarray(head.length, chunk.length - 2) }
}

/** An event's frame: encoded once (by the feed), written to every stream of its job. */
export function encodeEventFrame(event: ProgressEvent): FrameBytes {
  return encodeFrameBytes(
    formatFrame({ event: event.type, data: JSON.stringify(event), id: event.seq }),
  )
}

/** The `retry:` hint that opens every stream and ends one closed for a reconnect elsewhere. */
export const RETRY_FRAME = encodeFrameBytes(formatRetry(SSE_RETRY_MS))

/** The heartbeat comment. */
export const PING_FRAME = encodeFrameBytes(formatComment('ping'))
