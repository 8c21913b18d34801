import type { NewProgressEvent, ProgressEvent, Step } from '@inkflow/shared'
import type { EventLog, UnsequencedEvent } from '../store/event-log.js'

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** An event as the workflow states it; the emitter adds `jobId`, `ts`, `progress`, the log `seq`. */
export type EventBody = DistributiveOmit<NewProgressEvent, 'progress'>

export interface JobEmitterOptions {
  jobId: string
  log: EventLog
  /** Progress already reported (a resumed job never reports less). Default 0. */
  startProgress?: number
  /**
   * How long token deltas are gathered into one `token` event. A delta that ends a quiet
   * spell — a window with nothing sent, and it is the first after another event (a step's or
   * section's first words, after the model's time to first token) or comes `QUIET_WINDOWS`
   * windows after the last — goes out at once. Default 50 ms.
   */
  coalesceMs?: number
  /** The attempt this writer runs, passed to the log as a fence (see `AppendOptions`). Default none. */
  attempt?: number
  /** A write the first append must follow (the job marked as run by `attempt`). */
  after?: Promise<unknown>
  /** Hears each appended event, in order (the runner mirrors progress into the job store). */
  onAppended?: (event: ProgressEvent) => Promise<void> | void
}

/**
 * A pause between two deltas this many windows long is the model's, not a busy event loop's
 * (whose turns can take a window or two under load): the delta after it goes out at once.
 */
const QUIET_WINDOWS = 4

/**
 * Turns the workflow's events into log appends: in order, with `progress` that never goes
 * down, and with token deltas coalesced to a few events per 100 ms so a fast model does not
 * flood every reader with one frame per word.
 */
export function createJobEmitter(options: JobEmitterOptions) {
  const { jobId, log, coalesceMs = 50, attempt } = options
  let progress = options.startProgress ?? 0
  let failure: unknown
  let pending: { step: Step; index: number | undefined; text: string } | undefined
  let timer: NodeJS.Timeout | undefined
  let lastSentAt = Date.now() // when this emitter last appended anything
  // When the last token delta came; unset after any other event, so the next is first words.
  // A new emitter counts as just having had one: its first events come before any words.
  let lastDeltaAt: number | undefined = Date.now()
  // Appends go out without waiting for the ones before: the log keeps call order, and each
  // names the seq it must get, so one that fails makes every later one fail, never a hole.
  // The first append's answer tells where the log is; what comes meanwhile waits for it.
  let nextSeq: number | undefined
  let learning = false
  let waiting: {
    event: UnsequencedEvent
    resolve: (e: ProgressEvent) => void
    reject: (err: unknown) => void
  }[] = []
  const inFlight = new Set<Promise<unknown>>()

  const advance = (to: number | undefined) => {
    if (to !== undefined) progress = Math.max(progress, Math.min(100, Math.round(to)))
    return progress
  }

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

  /** Appends after everything appended before, so `seq` follows emission order. */
  const enqueue = (body: EventBody, at: number): Promise<ProgressEvent> => {
    lastSentAt = Date.now()
    const event = { ...body, jobId, ts: new Date().toISOString(), progress: at } as UnsequencedEvent
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
  }

  const flushTokens = () => {
    clearTimeout(timer)
    timer = undefined
    if (!pending) return
    const { step, index, text } = pending
    pending = undefined
    void enqueue(
      index === undefined ? { type: 'token', step, text } : { type: 'token', step, index, text },
      progress,
    ).catch(() => {})
  }

  return {
    get progress() {
      return progress
    },

    /** Appends one event (after any gathered tokens) and resolves once it is in the log. */
    emit(body: EventBody, progressTo?: number): Promise<ProgressEvent> {
      flushTokens()
      lastDeltaAt = undefined
      return enqueue(body, advance(progressTo))
    },

    /**
     * Appends one event in order without waiting for it, so the workflow can start its next
     * model call while the event is written. A failed append is not lost: it fails the next
     * `emit` or `flush`, and every checkpoint flushes.
     */
    queue(body: EventBody, progressTo?: number): void {
      flushTokens()
      lastDeltaAt = undefined
      void enqueue(body, advance(progressTo)).catch(() => {})
    },

    /**
     * Gathers a token delta; consecutive deltas of one step and section share an event. The
     * first words of a step or section after the model's time to first token, and the first
     * after a long pause, go out at once instead of a window later. Deltas that merely come a
     * busy loop turn apart are gathered: sending each at once nearly doubled the frames an
     * overloaded server had to write.
     */
    token(step: Step, index: number | undefined, text: string, progressTo?: number): void {
      // Quiet: readers have had nothing for a window, and the model, not the loop, paused.
      const now = Date.now()
      const quiet =
        now - lastSentAt >= coalesceMs &&
        (lastDeltaAt === undefined || now - lastDeltaAt >= QUIET_WINDOWS * coalesceMs)
      lastDeltaAt = now
      if (pending && (pending.step !== step || pending.index !== index)) flushTokens()
      advance(progressTo)
      if (pending) pending.text += text
      else pending = { step, index, text }
      if (timer) return
      if (quiet) flushTokens()
      else timer = setTimeout(flushTokens, coalesceMs)
    },

    /**
     * Writes gathered tokens and waits until every append made so far is in the log (not
     * those made meanwhile: a checkpoint saved behind a running call waits for its own).
     */
    async flush(): Promise<void> {
      flushTokens()
      await Promise.all([...inFlight])
      if (failure) throw failure
    },
  }
}

export type JobEmitter = ReturnType<typeof createJobEmitter>
