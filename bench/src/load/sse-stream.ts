import { connect, type Socket } from 'node:net'
import { createDechunker } from '../sse/dechunker.js'
import { noteFirstWords, preciseNow } from '../sse/first-words-stamp.js'
import { createFrameScanner, type ScannedFrame } from '../sse/frame-scanner.js'

const TERMINAL = new Set(['job.completed', 'job.failed', 'job.cancelled'])

/** What one stream saw; the reader pool sums these. */
export interface StreamTally {
  frames: number
  bytes: number
  /** Seqs skipped: an event this reader never received. */
  gaps: number
  /** Seqs received twice or out of order. */
  duplicates: number
  terminal: boolean
  /** When the response head arrived (ms since epoch). */
  openedAt: number
  /** When the terminal event arrived; 0 until then. */
  endedAt: number
  /** When the first `token` of the `content` step arrived; 0 until then. */
  firstContentAt: number
  /** With `watchFirstWords`: per step and section, its first words' lag behind the model (ms). */
  firstWords?: Record<string, number | null>
  error?: string
}

export interface SseStreamOptions {
  host: string
  port: number
  path: string
  /** Source address on 127.0.0.0/8, so 10,000 connections do not share one port range. */
  localAddress?: string
  /** Every event frame, with the time its bytes were read. */
  onFrame: (frame: ScannedFrame, receivedAt: number, tally: StreamTally) => void
  /** Called once when the stream ends (terminal event, close or error). */
  onEnd: (tally: StreamTally) => void
  /** Called once, when the response head has been read. */
  onHead?: () => void
  /** Look inside `token` frames for the first content token (first-words scenario). */
  watchContent?: boolean
  /** Time each step's and section's first `token` from its stub stamp (first-words-trickle). */
  watchFirstWords?: boolean
}

/**
 * One read buffer for every socket of the process: `onread` hands each read to its callback
 * synchronously, before the next read can reuse it. This skips the Readable stream path — a
 * Buffer, `push`, a string decoder and a `data` event per read — which is most of the load
 * generator's JavaScript at a hundred thousand frames a second.
 */
const readBuffer = Buffer.allocUnsafe(64 * 1024)

/**
 * Opens one SSE stream over a raw socket: writes the GET by hand, checks for `200`, then
 * decodes the chunked body into frames, checking that seqs run 1, 2, 3… without gap or
 * repeat. The socket is closed after the terminal event, as a browser tab would.
 */
export function openSseStream(options: SseStreamOptions): Socket {
  const tally: StreamTally = {
    frames: 0,
    bytes: 0,
    gaps: 0,
    duplicates: 0,
    terminal: false,
    openedAt: 0,
    endedAt: 0,
    firstContentAt: 0,
    firstWords: options.watchFirstWords ? {} : undefined,
  }
  let nextSeq = 1
  let head = ''
  let finished = false
  let receivedAt = 0
  const finish = (error?: string) => {
    if (finished) return
    finished = true
    if (error && !tally.terminal) tally.error = error
    socket.destroy()
    options.onEnd(tally)
  }
  const scanner = createFrameScanner((frame) => {
    if (finished) return
    tally.frames++
    tally.bytes += frame.bytes
    if (frame.seq === nextSeq) nextSeq++
    else if (frame.seq > nextSeq) {
      tally.gaps += frame.seq - nextSeq
      nextSeq = frame.seq + 1
    } else tally.duplicates++
    if (
      options.watchContent &&
      tally.firstContentAt === 0 &&
      frame.type === 'token' &&
      frame.text.includes('"step":"content"')
    ) {
      tally.firstContentAt = receivedAt
    }
    if (tally.firstWords && frame.type === 'token') {
      // Timed here, in the read's callback: microseconds after the bytes, finer than `receivedAt`.
      const live = frame.tsMs >= tally.openedAt
      noteFirstWords(tally.firstWords, frame.text, live ? preciseNow() : Number.NaN)
    }
    options.onFrame(frame, receivedAt, tally)
    if (TERMINAL.has(frame.type)) {
      tally.terminal = true
      tally.endedAt = receivedAt
      finish()
    }
  })
  const body = createDechunker((payload) => scanner.feed(payload))

  const onBytes = (text: string) => {
    receivedAt = Date.now()
    if (tally.openedAt === 0) {
      head += text
      const end = head.indexOf('\r\n\r\n')
      if (end < 0) return
      const status = head.slice(9, 12)
      if (status !== '200') return finish(`HTTP ${status}`)
      if (!/\r\ntransfer-encoding: chunked\r\n/i.test(head.slice(0, end + 2))) {
        return finish('response is not chunked')
      }
      tally.openedAt = receivedAt
      options.onHead?.()
      text = head.slice(end + 4)
      head = ''
    }
    try {
      body.feed(text)
    } catch (err) {
      finish(err instanceof Error ? err.message : String(err))
    }
    if (body.ended) finish('the server ended the stream before a terminal event')
  }

  const socket = connect({
    host: options.host,
    port: options.port,
    localAddress: options.localAddress,
    onread: {
      buffer: readBuffer,
      callback(bytes) {
        // latin1: one char per byte, so the dechunker's lengths are byte counts.
        if (!finished) onBytes(readBuffer.toString('latin1', 0, bytes))
        return true
      },
    },
  })
  socket.setNoDelay(true)
  socket.on('connect', () => {
    socket.write(
      `GET ${options.path} HTTP/1.1\r\nHost: ${options.host}:${options.port}\r\n` +
        'Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n',
    )
  })
  socket.on('error', (err) => finish(err.message))
  socket.on('close', () => finish('connection closed before a terminal event'))
  return socket
}
