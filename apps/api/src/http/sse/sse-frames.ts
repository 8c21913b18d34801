import { formatFrame, formatRetry, type ProgressEvent } from '@inkflow/shared'
import type { EventLog } from '../../events/event-log.js'
import { createFeed, type Feed } from '../../events/feed.js'
import { encodeSseFrame, type SseFrame } from './sse-connection.js'
import { SSE_RETRY_MS } from './sse-constants.js'

/** The fan-out every event stream of this process reads from, each event framed once. */
export type StreamFeed = Feed<SseFrame>

/** The process's feed over `log`: its one encoder turns each event heard into its frame. */
export function createStreamFeed(log: EventLog): StreamFeed {
  return createFeed({
    log,
    encode: (event: ProgressEvent) =>
      encodeSseFrame(
        formatFrame({ event: event.type, data: JSON.stringify(event), id: event.seq }),
      ),
  })
}

/** The `retry:` hint that opens every stream and ends one closed for a reconnect elsewhere. */
export const RETRY_FRAME = encodeSseFrame(formatRetry(SSE_RETRY_MS))
