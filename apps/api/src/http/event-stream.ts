import {
  formatComment,
  formatFrame,
  formatRetry,
  isTerminalEvent,
  type ProgressEvent,
} from '@inkflow/shared'
import type { Request, Response } from 'express'
import type { EventLog } from '../store/event-log.js'
import type { Heartbeat } from './heartbeat.js'
import { SSE_HEADERS, SSE_REPLAY_PAGE, SSE_RETRY_MS } from './sse-constants.js'
import { type EncodedFrame, encodeFrame, sseWriter } from './sse-writer.js'

/** How long a stream of a finished job waits for a terminal event still being appended. */
const FINISHED_GRACE_MS = 2000

/**
 * Each event's frame is built and encoded once, however many streams carry it. The streams
 * of a job hear an event one after another, so the last one's frame is kept at hand.
 */
const frames = new WeakMap<ProgressEvent, EncodedFrame>()
let lastEvent: ProgressEvent | undefined
let lastFrame: EncodedFrame | undefined
function frameOf(event: ProgressEvent): EncodedFrame {
  if (event === lastEvent) return lastFrame!
  let frame = frames.get(event)
  if (frame === undefined) {
    frame = encodeFrame(
      formatFrame({ event: event.type, data: JSON.stringify(event), id: event.seq }),
    )
    frames.set(event, frame)
  }
  lastEvent = event
  lastFrame = frame
  return frame
}
const RETRY = encodeFrame(formatRetry(SSE_RETRY_MS))
const PING = encodeFrame(formatComment('ping'))

export interface OpenStream {
  /** Ends the stream with a `retry:` hint so the client reconnects (to another instance, say). */
  close(): void
}

export interface EventStreamOptions {
  req: Request
  res: Response
  log: EventLog
  jobId: string
  /** The last seq the client has; replay starts after it. */
  afterSeq: number
  /** The job had already ended when the client connected: replay, then end. */
  finished: boolean
  /** Pings the client while the stream is quiet. */
  heartbeat: Heartbeat
  /** Tracks the stream while it is open, for graceful shutdown. */
  registry: Set<OpenStream>
  /** A client whose socket stays full this long is disconnected (it can reconnect and replay). */
  slowReaderTimeoutMs?: number
  onSlowReaderDropped?: () => void
  /** Called once when the stream ends, however it ends. */
  onClose?: () => void
}

/**
 * Serves one job's event stream: replay after `afterSeq`, then live, ending after the
 * terminal event.
 *
 * The stream keeps no queue of its own. It remembers the last seq it wrote; a live event
 * that is exactly the next one is written at once, anything else (a gap, or events that
 * arrive while the socket is full) is read back from the log. So a reader that stops
 * reading costs one socket buffer, never a growing backlog, and catches up on `drain`.
 */
export function serveEventStream(options: EventStreamOptions): void {
  const { req, res, log, jobId, heartbeat, registry } = options
  let lastSeq = options.afterSeq
  let lastWriteAt = Date.now()
  let ended = false
  let blocked = false // the socket buffer is full: wait for 'drain'
  let reading = false // a catch-up read is in flight
  let behind = true // the log may hold events we have not written

  let stalled: NodeJS.Timeout | undefined
  const writer = sseWriter(req, res, () => {
    blocked = false
    clearTimeout(stalled)
    if (behind) void catchUp()
  })
  const write = (frame: EncodedFrame) => {
    lastWriteAt = Date.now()
    if (writer.write(frame) || blocked) return
    blocked = true
    if (options.slowReaderTimeoutMs !== undefined) {
      stalled = setTimeout(() => {
        // The client stopped reading: drop it rather than hold its place forever.
        finish()
        res.destroy()
        options.onSlowReaderDropped?.()
      }, options.slowReaderTimeoutMs)
    }
  }

  const finish = () => {
    if (ended) return
    ended = true
    unsubscribe()
    stopBeating()
    clearTimeout(stalled)
    clearTimeout(grace)
    writer.release()
    registry.delete(stream)
    options.onClose?.()
  }

  const send = (event: ProgressEvent) => {
    write(frameOf(event))
    lastSeq = event.seq
    if (isTerminalEvent(event)) {
      finish()
      writer.end()
    }
  }

  // The job was finished when the client connected, and the log holds nothing newer. If the
  // last event is the terminal one, the client already has the end. If not, the terminal
  // event is being appended right now (the store is updated first): follow live, but end
  // after a grace period in case it never comes (a crash between the two writes).
  let grace: NodeJS.Timeout | undefined
  const endIfSettled = async () => {
    const [last] = lastSeq > 0 ? await log.read(jobId, lastSeq - 1, 1) : []
    if (ended) return
    if (last && isTerminalEvent(last)) {
      finish()
      writer.end()
    } else {
      grace ??= setTimeout(() => {
        if (ended) return
        finish()
        writer.end()
      }, FINISHED_GRACE_MS)
    }
  }

  const catchUp = async () => {
    if (reading) return
    reading = true
    try {
      while (!ended && !blocked && behind) {
        behind = false
        const events = await log.read(jobId, lastSeq, SSE_REPLAY_PAGE)
        for (const event of events) {
          if (ended || event.seq !== lastSeq + 1) break
          send(event)
          if (blocked) break
        }
        // A full page means more may be waiting; so does a write cut short by a full buffer.
        if (events.length === SSE_REPLAY_PAGE || blocked) behind = true
        else if (options.finished && !ended) await endIfSettled()
      }
    } catch {
      // The log failed mid-stream: close, and let the client reconnect and replay.
      if (!ended) {
        finish()
        writer.end()
      }
    } finally {
      reading = false
    }
    // Events may have been skipped while reading; go again if so.
    if (behind && !blocked && !ended) void catchUp()
  }

  const onEvent = (event: ProgressEvent) => {
    if (ended || event.seq <= lastSeq) return
    if (!reading && !blocked && !behind && event.seq === lastSeq + 1) send(event)
    else {
      behind = true
      if (!blocked) void catchUp()
    }
  }

  const stream: OpenStream = {
    close() {
      if (ended) return
      finish()
      writer.end(formatRetry(SSE_RETRY_MS))
    },
  }

  res.writeHead(200, SSE_HEADERS)
  // Subscribe before the first read so nothing appended in between is missed.
  const unsubscribe = log.subscribe(jobId, onEvent)
  registry.add(stream)
  res.on('close', finish)
  req.on('close', finish)
  const stopBeating = heartbeat.add(() => {
    if (!blocked && Date.now() - lastWriteAt >= heartbeat.idleMs) write(PING)
  })

  write(RETRY)
  void catchUp()
}
