import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/** A piece of an event stream, encoded once however many streams carry it. */
export interface EncodedFrame {
  /** The bytes as one HTTP/1.1 chunk: size line, the frame, CRLF. */
  chunk: Buffer
  /** The frame's bytes alone (a view into `chunk`), for a response that is not chunked. */
  body: Buffer
}

export function encodeFrame(text: string): EncodedFrame {
  const length = Buffer.byteLength(text)
  const head = `${length.toString(16)}\r\n`
  const chunk = Buffer.allocUnsafe(head.length + length + 2)
  chunk.write(head, 0, 'latin1')
  chunk.write(text, head.length, 'utf8')
  chunk.write('\r\n', head.length + length, 'latin1')
  return { chunk, body: chunk.subarray(head.length, head.length + length) }
}

export interface SseWriter {
  /**
   * Queues a frame to go out when the current task of the event loop is done; false once the
   * socket's buffer is full (wait for the drain listener).
   */
  write(frame: EncodedFrame): boolean
  /** Sends what is queued, then ends the response (with `last` as its final piece, if given). */
  end(last?: string): void
  /** Stops listening to the socket, which may serve other requests after this response. */
  release(): void
}

/** The flushes of the writers that have frames queued in the current task. */
let queued = new Set<() => void>()
let flushQueued = false

const flushAll = () => {
  flushQueued = false
  const writers = queued
  queued = new Set()
  for (const flush of writers) flush()
}

/**
 * Writes a stream's frames straight to its socket once the response head is out, each
 * task's frames in one system call.
 *
 * With ten thousand streams, each event is ten thousand writes. `res.write` pays, per write
 * and socket, a string encoding, four buffered pieces (chunk size, CRLF, data, CRLF), a cork
 * and an uncork on the next tick; that bookkeeping was as costly as the system calls
 * themselves. Here an event's chunk is encoded once and the same bytes go to every socket.
 *
 * The frames a stream gets during one task — a page of replay, the entries of one Redis
 * read, a heartbeat with an event — are sent together when the task is over (a tick queued
 * from a microtask: after every promise the task set going). The system call, not the
 * bytes, is what a write costs.
 *
 * Node's own path is kept where it does something this one does not: the first write (it
 * sends the head), a HEAD request (no body), and a response still waiting for its socket
 * behind an earlier one on the same connection. Once `res.socket` is set, whatever Node
 * had buffered is already in the socket's queue, so bytes written directly follow it. The
 * end of the response (`res.end()`) is Node's as well, so the chunked body ends properly.
 */
export function sseWriter(
  req: IncomingMessage,
  res: ServerResponse,
  onDrain: () => void,
): SseWriter {
  const direct = req.method !== 'HEAD'
  // Not `res.headersSent`: that turns true at `writeHead`, before the head reaches the socket.
  let headOut = false
  // The socket frames go straight to, once the head is out and the response has one; with
  // what a write needs from the response, read once (this runs per frame and stream: with
  // ten thousand streams, every property read of a cold object is a cache miss).
  let target: { socket: Socket; chunked: boolean; highWaterMark: number } | undefined
  let ended = false
  let pending: Buffer[] = []
  let pendingBytes = 0
  // `write` said the socket was full, judging by what is queued: a drain is owed.
  let owesDrain = false
  let waitingOn: NodeJS.EventEmitter | undefined
  const wait = (emitter: NodeJS.EventEmitter) => {
    if (waitingOn) return
    waitingOn = emitter
    emitter.once('drain', drained)
  }
  const drained = () => {
    waitingOn = undefined
    onDrain()
  }
  const flush = () => {
    queued.delete(flush)
    if (pending.length === 0 || !target) return
    const chunks = pending
    pending = []
    pendingBytes = 0
    const { socket } = target
    if (socket.destroyed) return
    const accepted = socket.write(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))
    if (!accepted) wait(socket)
    else if (owesDrain) setImmediate(drained) // the socket took it all: no 'drain' will come
    owesDrain = false
  }
  return {
    write(frame) {
      if (target === undefined && direct && headOut && res.socket) {
        const socket = res.socket
        target = {
          socket,
          chunked: res.chunkedEncoding,
          highWaterMark: socket.writableHighWaterMark,
        }
      }
      if (target && !ended) {
        const bytes = target.chunked ? frame.chunk : frame.body
        pending.push(bytes)
        pendingBytes += bytes.length
        if (pending.length === 1) {
          queued.add(flush)
          if (!flushQueued) {
            flushQueued = true
            queueMicrotask(() => process.nextTick(flushAll))
          }
        }
        // Full while the socket has not drained what it refused, or once this task's frames
        // alone reach its limit (a replay page to a reader that stopped reading).
        if (waitingOn === undefined && pendingBytes < target.highWaterMark) return true
        owesDrain = true
        return false
      }
      flush() // nothing may overtake what is queued
      headOut = true
      if (res.write(frame.body)) return true
      wait(res)
      return false
    },
    end(last) {
      flush()
      ended = true
      if (last === undefined) res.end()
      else res.end(last)
    },
    release() {
      waitingOn?.off('drain', drained)
      waitingOn = undefined
    },
  }
}
