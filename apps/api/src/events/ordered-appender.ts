import type { ProgressEvent } from '@inkflow/shared'
import {
  type EventLog,
  EventLogSeqError,
  type StoreFaultPolicy,
  StoreOutageError,
  storeRetryDelay,
  type UnsequencedEvent,
} from './event-log.js'

export interface OrderedAppenderOptions {
  log: EventLog
  /** The attempt this writer runs, passed to the log as a fence (see `AppendOptions`). */
  attempt?: number
  /** A write the first append must follow (the job marked as run by `attempt`). */
  after?: Promise<unknown>
  /** Hears each appended event, in order; `settled` waits for it too. */
  onAppended?: (event: ProgressEvent) => Promise<void> | void
  /** Storage faults waited out in place. Default: none, every failure is final. */
  faults?: StoreFaultPolicy
  /** Hears the failure that stopped the appender (a `StoreOutageError` after an outage). */
  onFailure?: (err: unknown) => void
}

interface Entry {
  event: UnsequencedEvent
  /** The seq it was sent with; unknown for the first append, until the log answers. */
  seq?: number
  sent: boolean
  resolve: (event: ProgressEvent) => void
  reject: (err: unknown) => void
}

/**
 * Appends one job's events in the order they are given, without waiting for each append to
 * land before sending the next: a job's model call need not wait for a commit.
 *
 * The log keeps call order, and each append after the first names the seq it must get, so
 * an append that fails makes every later one fail too — the log never gets a hole. The first
 * append's answer tells where the log is; what comes meanwhile waits for it.
 *
 * A failure the fault policy calls transient (a full disk, Redis away) is waited out in
 * place: once every append in flight has answered, the first one not stored is sent again
 * alone, with backoff, then the rest in order — readers see a pause, not a hole. An append
 * whose answer was lost may have landed (Redis ran the script, the reply never came): the
 * log then says it is past that seq, and the event stored there is read back and taken as
 * this one when it is (same type and time). Past the policy's `outageTimeoutMs` the
 * appender gives up with `StoreOutageError`. After a failure, every append rejects with it.
 */
export function createOrderedAppender(options: OrderedAppenderOptions) {
  const { log, attempt, faults } = options
  let nextSeq: number | undefined
  let entries: Entry[] = []
  let inFlight = 0
  let failure: unknown
  let outage: { since: number; tries: number; last: unknown } | undefined
  let recovering = false
  let afterDone = options.after === undefined
  const settledAll = new Set<Promise<unknown>>()

  const confirm = (entry: Entry, stored: ProgressEvent) => {
    entries = entries.filter((e) => e !== entry)
    if (nextSeq === undefined || stored.seq >= nextSeq) nextSeq = stored.seq + 1
    entry.resolve(stored)
  }

  const fail = (err: unknown) => {
    failure ??= err
    const rejected = entries
    entries = []
    for (const entry of rejected) entry.reject(failure)
    options.onFailure?.(failure)
  }

  const isTransient = (err: unknown) => faults?.isTransient(err) === true

  const onFault = (err: unknown) => {
    outage ??= { since: Date.now(), tries: 0, last: err }
    outage.last = err
    faults?.onFault?.(err)
    if (inFlight === 0) recover()
  }

  const send = (entry: Entry) => {
    entry.sent = true
    inFlight++
    log.append(entry.event, { attempt, seq: entry.seq }).then(
      (stored) => {
        inFlight--
        if (failure) return
        confirm(entry, stored)
        if (!outage) pump()
        else if (inFlight === 0) recover()
      },
      (err) => {
        inFlight--
        if (failure) return
        // A later append refused because an earlier one did not land is sent again with it.
        if (isTransient(err) || (outage && err instanceof EventLogSeqError)) {
          entry.sent = false
          onFault(err)
        } else fail(err)
      },
    )
  }

  const pump = () => {
    if (failure || outage || !afterDone) return
    for (const entry of entries) {
      if (entry.sent) continue
      if (nextSeq === undefined) {
        // The first append learns where the log is; the rest wait for its answer.
        if (inFlight === 0) send(entry)
        return
      }
      entry.seq ??= nextSeq++
      send(entry)
    }
  }

  /** Once nothing is in flight: the first entry not stored, alone, after a backoff. */
  const recover = () => {
    if (recovering || !outage || failure) return
    const first = entries[0]
    if (!first) {
      outage = undefined
      return
    }
    const waited = Date.now() - outage.since
    if (waited > (faults?.outageTimeoutMs ?? 0)) {
      fail(new StoreOutageError(waited, outage.last))
      return
    }
    recovering = true
    setTimeout(() => void retryFirst(first), storeRetryDelay(++outage.tries))
  }

  const retryFirst = async (first: Entry) => {
    let stored: ProgressEvent | undefined
    try {
      stored = await log.append(first.event, { attempt, seq: first.seq })
    } catch (err) {
      stored = await landedAlready(first, err)
    }
    recovering = false
    if (failure) return
    if (stored) {
      confirm(first, stored)
      outage = undefined
      faults?.onRecovered?.()
      pump()
    } else recover()
  }

  /** The append failed: the event it sent, if the log holds it already; else rethrow or wait. */
  const landedAlready = async (entry: Entry, err: unknown): Promise<ProgressEvent | undefined> => {
    if (isTransient(err)) {
      if (outage) outage.last = err
      faults?.onFault?.(err)
      return undefined
    }
    const seq = entry.seq
    if (!(err instanceof EventLogSeqError) || seq === undefined || err.next <= seq) {
      fail(err)
      return undefined
    }
    try {
      const [there] = await log.read(entry.event.jobId, seq - 1, 1)
      if (there?.seq === seq && there.type === entry.event.type && there.ts === entry.event.ts)
        return there
      fail(err)
    } catch (readErr) {
      if (!isTransient(readErr)) fail(readErr)
    }
    return undefined
  }

  options.after?.then(
    () => {
      afterDone = true
      pump()
    },
    (err) => {
      afterDone = true
      fail(err)
    },
  )

  return {
    /** Appends after every event given before; resolves with the stored event once heard. */
    append(event: UnsequencedEvent): Promise<ProgressEvent> {
      if (failure) return Promise.reject(failure)
      const stored = new Promise<ProgressEvent>((resolve, reject) => {
        entries.push({ event, sent: false, resolve, reject })
      })
      const appended = stored.then(async (event) => {
        await options.onAppended?.(event)
        return event
      })
      const settled: Promise<unknown> = appended.then(
        () => settledAll.delete(settled),
        (err) => {
          failure ??= err
          settledAll.delete(settled)
        },
      )
      settledAll.add(settled)
      pump()
      return appended
    },

    /** Waits for the appends made so far; rejects with the first failure, if any. */
    async settled(): Promise<void> {
      await Promise.all([...settledAll])
      if (failure) throw failure
    },
  }
}
