import type { IncomingMessage, ServerResponse } from 'node:http'
import { formatRetry, isTerminalEvent } from '@inkflow/shared'
import type { Heartbeat } from './heartbeat.js'
import { createSseConnection, encodeSseFrame, type SseFrame } from './sse-connection.js'
import { SSE_REPLAY_PAGE, SSE_RETRY_MS } from './sse-constants.js'
import type { FeedEntry, StreamFeed } from './stream-feed.js'

/** The `retry:` hint that opens every stream and ends one closed for a reconnect elsewhere. */
const RETRY_FRAME = encodeSseFrame(formatRetry(SSE_RETRY_MS))

export interface OpenStream {
  /** Ends the stream with a `retry:` hint so the client reconnects (to another instance, say). */
  close(): void
}

export interface StreamSessionOptions {
  req: IncomingMessage
  res: ServerResponse
  feed: StreamFeed
  jobId: string
  /** The last seq the client has; replay starts after it. */
  afterSeq: number
  /** The job had already ended when the client connected: replay, then end. */
  finished: boolean
  /**
   * Whether the job has ended by now. Asked once, when the first read finds nothing after
   * `afterSeq` (a client caught up, or past the end): a job that ended between the status
   * the caller read and the feed's subscription sends no terminal event to hear any more.
   * Default: never asked.
   */
  hasEnded?: () => Promise<boolean>
  heartbeat: Heartbeat
  /** Tracks the stream while it is open, for graceful shutdown. */
  registry: Set<OpenStream>
  /** A client whose socket stays full this long is dropped (see `sse-connection.ts`). */
  slowReaderTimeoutMs?: number
  onSlowReaderDropped?: () => void
  /** The log could not be read mid-stream: the stream ends and the client reconnects. */
  onReadError?: (err: unknown) => void
  /** Called once when the stream ends, however it ends. */
  onClose?: () => void
}

/**
 * One client's event stream of one job: replay after `afterSeq`, then live, then the end
 * after the terminal event.
 *
 * The session keeps no queue of its own. It remembers the last seq it wrote; a live entry
 * that is exactly the next one is written at once, anything else (a gap, or entries that
 * come while the socket is full) is read back from the feed. So a reader that stops reading
 * costs one socket buffer, never a growing backlog, and catches up on drain.
 */
export function startStreamSession(options: StreamSessionOptions): void {
  const { feed, jobId, registry } = options
  let lastSeq = options.afterSeq
  let ended = false
  let reading = false // a catch-up read is in flight
  let behind = true // the log may hold events not yet written
  let finished = options.finished
  let askedEnded = options.hasEnded === undefined

  const finish = () => {
    if (ended) return false
    ended = true
    subscription.stop()
    registry.delete(stream)
    options.onClose?.()
    return true
  }
  const end = (last?: SseFrame) => {
    if (finish()) connection.end(last)
  }

  const send = ({ event, frame }: FeedEntry) => {
    connection.write(frame)
    lastSeq = event.seq
    if (isTerminalEvent(event)) end()
  }

  // The job was finished when the client connected, and the feed has nothing newer. A
  // finished job's log is complete: its end and its terminal event were committed together
  // (`jobs/finish-job.ts`). So if the last event is the terminal one, the client has the
  // end; if the log itself holds nothing after it (the client's Last-Event-ID is past the
  // end, or older data in the store stops short of a terminal event), there is nothing more to
  // send. Otherwise the feed has not heard the rest yet: it comes live.
  const endIfSettled = async () => {
    const [last] = lastSeq > 0 ? await subscription.read(lastSeq - 1, 1) : []
    if (ended) return
    if (last && isTerminalEvent(last.event)) return end()
    const more = await subscription.logHasAfter(lastSeq)
    if (!ended && !more) end()
  }

  const catchUp = async () => {
    if (reading) return
    reading = true
    try {
      while (!ended && !connection.blocked && behind) {
        behind = false
        const entries = await subscription.read(lastSeq, SSE_REPLAY_PAGE)
        for (const entry of entries) {
          if (ended || entry.event.seq !== lastSeq + 1) break
          send(entry)
          if (connection.blocked) break
        }
        // A full page means more may be waiting; so does a write cut short by a full socket.
        if (entries.length === SSE_REPLAY_PAGE || connection.blocked) behind = true
        else {
          if (!finished && !askedEnded && entries.length === 0) {
            askedEnded = true
            finished = (await options.hasEnded?.()) === true
          }
          if (finished && !ended) await endIfSettled()
        }
      }
    } catch (err) {
      // The log failed mid-stream: say so, and end; the client reconnects and replays.
      options.onReadError?.(err)
      end()
    } finally {
      reading = false
    }
    // Entries may have been skipped while reading; go again if so.
    if (behind && !connection.blocked && !ended) void catchUp()
  }

  const onEntry = (entry: FeedEntry) => {
    if (ended) return
    if (entry.event.seq <= lastSeq) {
      // A client whose Last-Event-ID is past the log's end gets nothing until the log passes
      // it; the job's end, even before that seq, still ends its stream.
      if (isTerminalEvent(entry.event)) end()
      return
    }
    if (!reading && !connection.blocked && !behind && entry.event.seq === lastSeq + 1) send(entry)
    else {
      behind = true
      if (!connection.blocked) void catchUp()
    }
  }

  const stream: OpenStream = { close: () => end(RETRY_FRAME) }
  const connection = createSseConnection({
    req: options.req,
    res: options.res,
    heartbeat: options.heartbeat,
    slowReaderTimeoutMs: options.slowReaderTimeoutMs,
    onSlowReaderDropped: options.onSlowReaderDropped,
    onDrain: () => {
      if (behind) void catchUp()
    },
    onGone: finish,
  })
  // Followed before the first read, so nothing appended in between is missed.
  const subscription = feed.follow(jobId, onEntry)
  registry.add(stream)
  connection.write(RETRY_FRAME)
  void catchUp()
}
