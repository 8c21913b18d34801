import { isTerminalEvent, type ProgressEvent } from '@inkflow/shared'
import type { Database } from 'better-sqlite3'
import {
  type AppendOptions,
  DEFAULT_READ_LIMIT,
  type EventLog,
  EventLogClosedError,
  EventLogSeqError,
  sequence,
  type UnsequencedEvent,
} from '../../events/event-log.js'
import { createListenerRegistry } from '../listener-registry.js'
import type { WriteQueue } from './write-queue.js'

/** Where a job's log ends: its last seq, and whether that event was terminal. */
interface Tail {
  seq: number
  closed: boolean
}

/**
 * Events are JSON this adapter wrote from a typed `ProgressEvent`; they are trusted as read
 * back rather than parsed again on every replay.
 */
const toEvent = (json: string): ProgressEvent => JSON.parse(json) as ProgressEvent

/** The SQLite event log, with the append its `FinishStore` makes one write with an update. */
export interface SqliteEventLog extends EventLog {
  /**
   * `append` made in one savepoint with `alongside` (synchronous statements on the same
   * database, run first): both commit together, or, if either throws, neither does.
   */
  appendWith(
    input: UnsequencedEvent,
    options: AppendOptions,
    alongside: () => void,
  ): Promise<ProgressEvent>
}

/**
 * `EventLog` on SQLite. Appends made in one turn of the event loop are committed in one
 * transaction, with the job store's writes of that turn (`write-queue.ts`), except that an
 * event of a job somebody in this process follows is committed as soon as its task ends;
 * each `append` resolves once its event is committed, and subscribers in this process hear
 * of it right after the commit. The last seq of each open job is kept in memory, so an
 * append does not read the log first.
 *
 * One process appends to a file at a time (the `sqlite` mode's in-process queue); the
 * `(job_id, seq)` key makes a second writer fail loudly rather than fork a log.
 * The database is the caller's: `close` commits what is pending and leaves it open.
 */
export function createSqliteEventLog(db: Database, queue: WriteQueue): SqliteEventLog {
  const insert = db.prepare<[string, number, string, string]>(
    'INSERT INTO events (job_id, seq, type, data) VALUES (?, ?, ?, ?)',
  )
  const selectTail = db.prepare<[string], { seq: number; type: ProgressEvent['type'] }>(
    'SELECT seq, type FROM events WHERE job_id = ? ORDER BY seq DESC LIMIT 1',
  )
  const selectAfter = db
    .prepare<[string, number, number], string>(
      'SELECT data FROM events WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    )
    .pluck()
  const deleteEvents = db.prepare<[string]>('DELETE FROM events WHERE job_id = ?')
  const listeners = createListenerRegistry()
  // Open logs only: a closed one is dropped and, if ever appended to again, re-read.
  const tails = new Map<string, Tail>()
  let closed = false

  const tailOf = (jobId: string): Tail => {
    const cached = tails.get(jobId)
    if (cached) return { ...cached }
    const last = selectTail.get(jobId)
    return { seq: last?.seq ?? 0, closed: last ? isTerminalEvent(last) : false }
  }

  // Tails change in `touched` during a batch and reach the cache only once it commits;
  // subscribers hear of the batch's events then, in order.
  let touched = new Map<string, Tail>()
  let appended: ProgressEvent[] = []
  queue.onBatchEnd((committed) => {
    const batchTails = touched
    const batchEvents = appended
    touched = new Map()
    appended = []
    for (const [jobId, tail] of batchTails) {
      // A failed commit may come from the cache itself (another writer): re-read next time.
      if (!committed || tail.closed) tails.delete(jobId)
      else tails.set(jobId, tail)
    }
    if (committed) for (const event of batchEvents) listeners.notify(event)
  })

  const write = (input: UnsequencedEvent, expected: number | undefined): ProgressEvent => {
    const tail = touched.get(input.jobId) ?? tailOf(input.jobId)
    if (tail.closed) throw new EventLogClosedError(input.jobId)
    if (expected !== undefined && expected !== tail.seq + 1) {
      throw new EventLogSeqError(input.jobId, expected, tail.seq + 1)
    }
    const event = sequence(input, tail.seq + 1)
    insert.run(event.jobId, event.seq, event.type, JSON.stringify(event))
    // Only past the insert: an append that failed leaves the tail as it was.
    touched.set(input.jobId, { seq: event.seq, closed: isTerminalEvent(event) })
    appended.push(event)
    return event
  }

  const appendWith = (input: UnsequencedEvent, options: AppendOptions, alongside?: () => void) => {
    if (closed) return Promise.reject(new Error('the event log is closed'))
    // `alongside` first: the event's write must be the last that can fail, since it is the
    // one that changes what this adapter caches (a rolled-back savepoint does not undo that).
    const appended = queue.run(() => {
      alongside?.()
      return write(input, options.seq)
    })
    // An event somebody subscribed to on this log is committed when the task that appended it
    // ends, not with the rest of the turn, so its readers get it before the next task's work:
    // a hundred jobs' timers fire in one turn, and without this every event waits for the
    // whole turn's fan-out. Whether anyone subscribed is the log's own knowledge (its listener
    // registry), not how they did. Figures in BENCHMARKS.md (fan-out, "SQLite commits").
    if (listeners.has(input.jobId)) queue.expedite()
    return appended
  }

  return {
    append: (input, options = {}) => appendWith(input, options),

    appendWith,

    async read(jobId, afterSeq, limit = DEFAULT_READ_LIMIT) {
      return selectAfter.all(jobId, afterSeq, limit).map(toEvent)
    },

    async remove(jobIds) {
      await queue.run(() => {
        for (const jobId of jobIds) deleteEvents.run(jobId)
      })
      for (const jobId of jobIds) tails.delete(jobId)
    },

    subscribe: (jobId, listener) => listeners.add(jobId, listener),

    async close() {
      if (closed) return
      closed = true
      queue.flushNow()
    },
  }
}
