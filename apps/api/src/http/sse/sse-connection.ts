import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Heartbeat } from './heartbeat.js'
import { SSE_HEADERS } from './sse-constants.js'
import { PING_FRAME } from './sse-frames.js'

export interface SseConnectionOptions {
  req: IncomingMessage
  res: ServerResponse
  /** Pings the client while the stream is quiet. */
  heartbeat: Heartbeat
  /** A client whose socket stays full this long is dropped (it can reconnect and replay). */
  slowReaderTimeoutMs?: number
  /** The socket took what it held: the writer may go on. */
  onDrain: () => void
  /** The client went away or was dropped; called once. Not called after `end`. */
  onGone: () => void
  onSlowReaderDropped?: () => void
}

/**
 * The socket side of one event stream: the response head, writes with backpressure, the
 * heartbeat, and dropping a client that stops reading. It knows bytes, not events.
 *
 * Writes go through `res.write`; Node corks the socket for the rest of the tick, so the
 * frames a stream gets in one task (a replay page, a Redis read's entries) leave in one
 * system call.
 */
export function createSseConnection(options: SseConnectionOptions) {
  const { req, res, heartbeat } = options
  let lastWriteAt = Date.now()
  let blocked = false // `write` said the socket is full: wait for 'drain'
  let open = true
  let stalled: NodeJS.Timeout | undefined

  const drained = () => {
    blocked = false
    clearTimeout(stalled)
    if (open) options.onDrain()
  }

  const close = () => {
    if (!open) return false
    open = false
    stopBeating()
    clearTimeout(stalled)
    res.off('drain', drained)
    return true
  }

  const gone = () => {
    if (close()) options.onGone()
  }

  const write = (frame: Buffer): boolean => {
    if (!open) return false
    lastWriteAt = Date.now()
    if (res.write(frame) || blocked) return !blocked
    blocked = true
    res.once('drain', drained)
    if (options.slowReaderTimeoutMs !== undefined) {
      stalled = setTimeout(() => {
        // The client stopped reading: drop it rather than hold its place forever.
        gone()
        res.destroy()
        options.onSlowReaderDropped?.()
      }, options.slowReaderTimeoutMs)
    }
    return false
  }

  res.writeHead(200, SSE_HEADERS)
  res.on('close', gone)
  req.on('close', gone)
  const stopBeating = heartbeat.add(() => {
    if (!blocked && Date.now() - lastWriteAt >= heartbeat.idleMs) write(PING_FRAME)
  })

  return {
    /** Writes a frame; false once the socket is full (wait for `onDrain`) or closed. */
    write,
    /** True while the socket is full. */
    get blocked() {
      return blocked
    },
    /** Ends the response, with `last` as its final bytes if given. */
    end(last?: Buffer): void {
      if (!close()) return
      if (last === undefined) res.end()
      else res.end(last)
    },
  }
}

export type SseConnection = ReturnType<typeof createSseConnection>
