import type { ProgressEvent } from '@inkflow/shared'
import { DEFAULT_READ_LIMIT, type EventListener, type EventLog } from './event-log.js'

/**
 * Events kept per followed job; past this the oldest half is dropped (and read from the log).
 * A whole article is ~450 events (~100 KB of frames at the demo pacing), so a followed job
 * costs a few hundred KB here at most, its events and their encoded frames together.
 */
export const RECENT_EVENTS_PER_JOB = 1000

/** The events of one followed job this process has heard, seq `first` on, with no hole. */
interface Recent {
  events: ProgressEvent[]
  followers: number
  stopHearing: () => void
}

const lastSeqOf = (recent: Recent) => recent.events[recent.events.length - 1]?.seq ?? 0

/**
 * Keeps the events of every job that has a subscriber in this process, as heard live, and
 * answers `read` from them when it can.
 *
 * A hundred readers of one job connecting one after another each replay what the job has
 * written so far; without this every one of them reads (and, in `redis` mode, fetches) and
 * parses the same events again, and each parsed copy is framed again. From memory they
 * share one object per event, so its frame is built once.
 *
 * It only answers with a contiguous run the log holds, ending with the last event heard.
 * What it has not heard — events before its first subscriber, a gap where delivery skipped
 * ahead — comes from the log, and the read is kept when it joins up with the run. Events
 * newer than the last one heard are not looked for: they are still on their way to the
 * subscribers, who will hear them live.
 */
export function withRecentEvents(log: EventLog, maxPerJob = RECENT_EVENTS_PER_JOB): EventLog {
  const byJob = new Map<string, Recent>()

  const hear = (recent: Recent) => (event: ProgressEvent) => {
    const last = lastSeqOf(recent)
    if (event.seq <= last) return
    // A skip ahead: what was heard no longer joins up with what comes; start again from here.
    if (event.seq !== last + 1) recent.events = []
    recent.events.push(event)
    if (recent.events.length > maxPerJob) recent.events = recent.events.slice(maxPerJob >> 1)
  }

  /**
   * Keeps what a log read adds to the run heard so far: the events right before it, or, when
   * nothing has been heard yet, a read that reached the end of the log (anything appended
   * after it will be heard, as the subscription came first).
   */
  const remember = (recent: Recent, read: ProgressEvent[], reachedEnd: boolean) => {
    const first = recent.events[0]?.seq
    if (first === undefined) {
      if (reachedEnd) recent.events = read.slice(-maxPerJob)
      return
    }
    const end = read[read.length - 1]?.seq
    if (end === undefined || end < first - 1) return
    const before = read.filter((e) => e.seq < first)
    if (before.length === 0 || recent.events.length + before.length > maxPerJob) return
    recent.events = [...before, ...recent.events]
  }

  const read: EventLog['read'] = async (jobId, afterSeq, limit = DEFAULT_READ_LIMIT) => {
    const recent = byJob.get(jobId)
    const first = recent?.events[0]?.seq
    if (!recent || first === undefined || afterSeq + 1 < first) {
      const events = await log.read(jobId, afterSeq, limit)
      // The job may have lost its followers, or gained a new run of events, meanwhile.
      const now = byJob.get(jobId)
      if (now && events.length > 0) remember(now, events, events.length < limit)
      return events
    }
    const from = afterSeq + 1 - first
    return recent.events.slice(from, from + limit)
  }

  const subscribe = (jobId: string, listener: EventListener) => {
    let recent = byJob.get(jobId)
    if (!recent) {
      const created: Recent = { events: [], followers: 0, stopHearing: () => {} }
      // Subscribed first, so the log tells this job's record of an event before its readers.
      created.stopHearing = log.subscribe(jobId, hear(created))
      byJob.set(jobId, created)
      recent = created
    }
    recent.followers++
    const stop = log.subscribe(jobId, listener)
    let stopped = false
    return () => {
      if (stopped) return
      stopped = true
      stop()
      if (--recent.followers === 0 && byJob.get(jobId) === recent) {
        recent.stopHearing()
        byJob.delete(jobId)
      }
    }
  }

  const remove: EventLog['remove'] = async (jobIds) => {
    for (const jobId of jobIds) {
      const recent = byJob.get(jobId)
      if (recent) recent.events = []
    }
    await log.remove(jobIds)
  }

  return new Proxy(log, {
    get(target, prop) {
      if (prop === 'read') return read
      if (prop === 'subscribe') return subscribe
      if (prop === 'remove') return remove
      const value = Reflect.get(target, prop)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
