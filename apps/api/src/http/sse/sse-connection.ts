import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { formatComment } from '@inkflow/shared'
import type { Heartbeat } from './heartbeat.js'
import { SSE_HEADERS } from './sse-constants.js'

/**
 * A frame's bytes, encoded once however many streams carry it. Opaque outside this file:
 * it is one HTTP/1.1 chunk (size line, the frame, CRLF), which a stream that declared its
 * own chunked framing writes to its socket as is, and the frame alone (a view into the
 * chunk) for Node's own `res.write`.
 */
export interface SseFrame {
  readonly chunk: Buffer
  readonly body: Buffer
}

/** Encodes one SSE frame's text (`formatFrame`, `formatRetry`, ...) for `write`. */
export function encodeSseFrame(text: string): SseFrame {
  const head = `${Buffer.byteLength(text).toString(16)}\r\n`
  // One encoding pass: the size line is ASCII, so its bytes are its characters.
  const chunk = Buffer.from(`${head}${text}\r\n`)
  return { chunk, body: chunk.subarray(head.length, chunk.length - 2) }
}

const PING_FRAME = encodeSseFrame(formatComment('ping'))

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
 * Frames go straight to the socket, already framed as HTTP/1.1 chunks. With ten thousand
 * streams each event is ten thousand writes, and `res.write` pays per write and socket a
 * chunk-size string, four buffered pieces and a cork: at that size the server cannot keep
 * up (`fan-out` in BENCHMARKS.md). So the head declares `Transfer-Encoding: chunked`
 * itself — then the framing is ours to know, not Node's to decide — and each event's chunk
 * is encoded once, by the feed, for every socket.
 *
 * Node's `res.write` stays where it does something the direct path does not: a HEAD request
 * (no body), a client older than HTTP/1.1 (no chunks: the body ends with the connection),
 * and a response still waiting for its socket behind an earlier one on a kept-alive
 * connection (Node hands it what it buffered, in order, when the socket comes). `res.end`
 * ends every response, so the last chunk and the connection's reuse stay Node's.
 */
export function createSseConnection(options: SseConnectionOptions) {
  const { req, res, heartbeat } = options
  const chunked = req.method !== 'HEAD' && req.httpVersion === '1.1'
  let lastWriteAt = Date.now()
  // `write` said the socket (or the response) is full: this emitter owes a 'drain'.
  let waitingOn: NodeJS.EventEmitter | undefined
  let open = true
  let stalled: NodeJS.Timeout | undefined

  const drained = () => {
    waitingOn = undefined
    clearTimeout(stalled)
    if (open) options.onDrain()
  }

  const close = () => {
    if (!open) return false
    open = false
    stopBeating()
    clearTimeout(stalled)
    waitingOn?.off('drain', drained)
    waitingOn = undefined
    return true
  }

  const gone = () => {
    if (close()) options.onGone()
  }

  const wait = (emitter: NodeJS.EventEmitter) => {
    waitingOn = emitter
    emitter.once('drain', drained)
    if (options.slowReaderTimeoutMs === undefined) return
    stalled = setTimeout(() => {
      // The client stopped reading: drop it rather than hold its place forever.
      gone()
      res.destroy()
      options.onSlowReaderDropped?.()
    }, options.slowReaderTimeoutMs)
  }

  // The frames one turn of the event loop writes to this socket leave in one system call
  // (a replay page, a job's events heard together): the socket is corked at the turn's first
  // write and uncorked when the turn's code is done, as Node's docs suggest.
  let corked: Socket | undefined
  const uncork = () => {
    corked?.uncork()
    corked = undefined
  }

  /** Writes a frame; false once the socket is full (wait for `onDrain`) or closed. */
  const write = (frame: SseFrame): boolean => {
    if (!open) return false
    lastWriteAt = Date.now()
    const socket = chunked ? res.socket : null
    if (socket && !corked) {
      corked = socket
      socket.cork()
      process.nextTick(uncork)
    }
    const accepted = socket ? socket.write(frame.chunk) : res.write(frame.body)
    if (!accepted && !waitingOn) wait(socket ?? res)
    return accepted && !waitingOn
  }

  if (chunked) {
    res.writeHead(200, { ...SSE_HEADERS, 'Transfer-Encoding': 'chunked' })
    res.flushHeaders() // the head goes out now, so later bytes can go to the socket after it
  } else {
    res.writeHead(200, SSE_HEADERS)
  }
  res.on('close', gone)
  req.on('close', gone)
  const stopBeating = heartbeat.add(() => {
    if (!waitingOn && Date.now() - lastWriteAt >= heartbeat.idleMs) write(PING_FRAME)
  })

  return {
    write,
    /** True while the socket is full. */
    get blocked() {
      return waitingOn !== undefined
    },
    /** Ends the response, with `last` as its final frame if given. */
    end(last?: SseFrame): void {
      if (!close()) return
      if (last === undefined) res.end()
      else res.end(last.body)
    },
  }
}

export type SseConnection = ReturnType<typeof createSseConnection>
