import type { ProgressEvent } from '@inkflow/shared'
import type { EventLog, UnsequencedEvent } from './event-log.js'

export interface OrderedAppenderOptions {
  log: EventLog
  /** The attempt this writer runs, passed to the log as a fence (see `AppendOptions`). */
  attempt?: number
  /** A write the first append must follow (the job marked as run by `attempt`). */
  after?: Promise<unknown>
  /** Hears each appended event, in order; `settled` waits for it too. */
  onAppended?: (event: ProgressEvent) => Promise<void> | void
}

/**
 * Appends one job's events in the order they are given, without waiting for each append to
 * land before sending the next: a job's model call need not wait for a commit.
 *
 * The log keeps call order, and each append after the first names the seq it must get, so
 * an append that fails makes every later one fail too — the log never gets a hole. The first
 * append's answer tells where the log is; what comes meanwhile waits for it. After a failure,
 * every append rejects with the first error.
 */
export function createOrderedAppender(options: OrderedAppenderOptions) {
  const { log, attempt } = options
  let nextSeq: number | undefined
  let learning = false
  let failure: unknown
  let waiting: {
    event: UnsequencedEvent
    resolve: (e: ProgressEvent) => void
    reject: (err: unknown) => void
  }[] = []
  const inFlight = new Set<Promise<unknown>>()

  const send = (event: UnsequencedEvent): Promise<ProgressEvent> => {
    if (failure) return Promise.reject(failure)
    if (nextSeq !== undefined) return log.append(event, { attempt, seq: nextSeq++ })
    if (learning) return new Promise((resolve, reject) => waiting.push({ event, resolve, reject }))
    learning = true
    const first = options.after
      ? options.after.then(() => log.append(event, { attempt }))
      : log.append(event, { attempt })
    const release = () => {
      learning = false
      const queued = waiting
      waiting = []
      for (const { event, resolve, reject } of queued) send(event).then(resolve, reject)
    }
    first.then(
      (stored) => {
        nextSeq = stored.seq + 1
        release()
      },
      (err) => {
        failure ??= err
        release()
      },
    )
    return first
  }

  return {
    /** Appends after every event given before; resolves with the stored event once heard. */
    append(event: UnsequencedEvent): Promise<ProgressEvent> {
      const appended = send(event).then(async (stored) => {
        await options.onAppended?.(stored)
        return stored
      })
      const settled: Promise<unknown> = appended.then(
        () => inFlight.delete(settled),
        (err) => {
          failure ??= err
          inFlight.delete(settled)
        },
      )
      inFlight.add(settled)
      return appended
    },

    /** Waits for the appends made so far; rejects with the first failure, if any. */
    async settled(): Promise<void> {
      await Promise.all([...inFlight])
      if (failure) throw failure
    },
  }
}
