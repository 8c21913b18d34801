import { formatFrame, type ProgressEvent } from '@inkflow/shared'
import { DEFAULT_READ_LIMIT, type EventLog } from '../../events/event-log.js'
import { encodeSseFrame, type SseFrame } from './sse-connection.js'

/**
 * Entries kept per followed job; past this the oldest half is dropped (and read from the log
 * when asked for). A whole article is ~450 events (~100 KB of frames at the demo pacing), so
 * a followed job costs a few hundred KB here at most, its events and their frames together.
 */
export const FEED_WINDOW = 1000

/** An event with its SSE frame, encoded once however many streams carry it. */
export interface FeedEntry {
  readonly event: ProgressEvent
  readonly frame: SseFrame
}

export interface StreamFeedOptions {
  log: EventLog
  /** Entries kept per followed job. Default `FEED_WINDOW`. */
  window?: number
}

/** An event's frame: `id` is its seq, so a reconnecting client resumes after it. */
const frameOf = (event: ProgressEvent): SseFrame =>
  encodeSseFrame(formatFrame({ event: event.type, data: JSON.stringify(event), id: event.seq }))

/** One stream's view of a followed job. */
export interface FeedSubscription {
  /**
   * Entries with seq > `afterSeq`, ascending, at most `limit`: from the window when it holds
   * them, else from the log. Newer entries than the window's last are heard live instead.
   */
  read(afterSeq: number, limit?: number): Promise<FeedEntry[]>
  /**
   * Whether the log itself (not the window, which may not have heard it yet) holds an event
   * after `seq`: where a finished job's log really ends.
   */
  logHasAfter(seq: number): Promise<boolean>
  /** Stops hearing the job; the job's last subscription ends the feed's log subscription. */
  stop(): void
}

/** A followed job: its listeners, and the run of entries heard, contiguous, ending with the last. */
interface Followed {
  listeners: Set<(entry: FeedEntry) => void>
  window: FeedEntry[]
  stopHearing: () => void
}

/**
 * The fan-out of this process: ONE log subscription per followed job, however many streams
 * follow it, and a window of its recent entries that every stream replays from.
 *
 * A hundred readers of one job connecting one after another each replay what the job has
 * written so far; from the window they neither read (in `redis` mode, fetch) nor parse nor
 * frame the same events again. What the window has not heard — events before its first
 * subscriber, a gap where delivery skipped ahead — comes from the log, and a read is kept
 * when it joins up with the window.
 */
export function createStreamFeed(options: StreamFeedOptions) {
  const { log } = options
  const size = options.window ?? FEED_WINDOW
  const byJob = new Map<string, Followed>()
  const entryOf = (event: ProgressEvent): FeedEntry => ({ event, frame: frameOf(event) })
  const lastSeqOf = (f: Followed) => f.window[f.window.length - 1]?.event.seq ?? 0

  const hear = (followed: Followed) => (event: ProgressEvent) => {
    const last = lastSeqOf(followed)
    if (event.seq <= last) return
    // A skip ahead: what was heard no longer joins up with what comes; start again from here.
    if (event.seq !== last + 1) followed.window = []
    const entry = entryOf(event)
    followed.window.push(entry)
    if (followed.window.length > size) followed.window = followed.window.slice(size >> 1)
    for (const listener of followed.listeners) listener(entry)
  }

  /**
   * Keeps what a log read adds to the window: the entries right before it, or, when nothing
   * has been heard yet, a read that reached the end of the log (anything appended after it
   * will be heard, as the subscription came first).
   */
  const remember = (followed: Followed, read: FeedEntry[], reachedEnd: boolean) => {
    const first = followed.window[0]?.event.seq
    if (first === undefined) {
      if (reachedEnd) followed.window = read.slice(-size)
      return
    }
    const end = read[read.length - 1]?.event.seq
    if (end === undefined || end < first - 1) return
    const before = read.filter((e) => e.event.seq < first)
    if (before.length === 0 || followed.window.length + before.length > size) return
    followed.window = [...before, ...followed.window]
  }

  const read = async (jobId: string, afterSeq: number, limit: number) => {
    const followed = byJob.get(jobId)
    const first = followed?.window[0]?.event.seq
    if (followed && first !== undefined && afterSeq + 1 >= first) {
      const from = afterSeq + 1 - first
      return followed.window.slice(from, from + limit)
    }
    const entries = (await log.read(jobId, afterSeq, limit)).map(entryOf)
    // The job may have lost its followers, or heard new events, meanwhile.
    const now = byJob.get(jobId)
    if (now && entries.length > 0) remember(now, entries, entries.length < limit)
    return entries
  }

  return {
    /** Follows a job: `listener` hears every entry heard after this returns, in seq order. */
    follow(jobId: string, listener: (entry: FeedEntry) => void): FeedSubscription {
      let followed = byJob.get(jobId)
      if (!followed) {
        const created: Followed = { listeners: new Set(), window: [], stopHearing: () => {} }
        byJob.set(jobId, created)
        created.stopHearing = log.subscribe(jobId, hear(created))
        followed = created
      }
      const job = followed
      job.listeners.add(listener)
      let stopped = false
      return {
        read: (afterSeq, limit = DEFAULT_READ_LIMIT) => read(jobId, afterSeq, limit),
        logHasAfter: async (seq) => (await log.read(jobId, seq, 1)).length > 0,
        stop() {
          if (stopped) return
          stopped = true
          job.listeners.delete(listener)
          if (job.listeners.size === 0 && byJob.get(jobId) === job) {
            job.stopHearing()
            byJob.delete(jobId)
          }
        },
      }
    },
  }
}

export type StreamFeed = ReturnType<typeof createStreamFeed>
