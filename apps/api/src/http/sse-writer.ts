import type { IncomingMessage, ServerResponse } from 'node:http'

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
  /** Writes a frame; false once the socket's buffer is full (wait for the drain listener). */
  write(frame: EncodedFrame): boolean
  /** Runs `writes`, sending what they write in one system call where the socket allows. */
  batch(writes: () => void): void
  /** Stops listening to the socket, which may serve other requests after this response. */
  release(): void
}

/**
 * Writes a stream's frames straight to its socket once the response head is out.
 *
 * With ten thousand streams, each event is ten thousand writes. `res.write` pays, per write
 * and socket, a string encoding, four buffered pieces (chunk size, CRLF, data, CRLF), a cork
 * and an uncork on the next tick; that bookkeeping was as costly as the system calls
 * themselves. Here an event's chunk is encoded once and the same bytes go to every socket
 * in one write each.
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
  return {
    write(frame) {
      const socket = res.socket
      if (direct && headOut && socket && !res.writableEnded) {
        if (socket.write(res.chunkedEncoding ? frame.chunk : frame.body)) return true
        wait(socket)
        return false
      }
      headOut = true
      if (res.write(frame.body)) return true
      wait(res)
      return false
    },
    batch(writes) {
      const socket = direct && headOut ? res.socket : null
      socket?.cork()
      try {
        writes()
      } finally {
        socket?.uncork()
      }
    },
    release() {
      waitingOn?.off('drain', drained)
      waitingOn = undefined
    },
  }
}
