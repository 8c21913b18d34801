import { formatComment, formatFrame, formatRetry, type ProgressEvent } from '@inkflow/shared'
import { SSE_RETRY_MS } from './sse-constants.js'

/** An event's frame as bytes: encoded once (by the feed), written to every stream of its job. */
export function encodeEventFrame(event: ProgressEvent): Buffer {
  return Buffer.from(formatFrame({ event: event.type, data: JSON.stringify(event), id: event.seq }))
}

/** The `retry:` hint that opens every stream and ends one closed for a reconnect elsewhere. */
export const RETRY_FRAME = Buffer.from(formatRetry(SSE_RETRY_MS))

/** The heartbeat comment. */
export const PING_FRAME = Buffer.from(formatComment('ping'))
