import type { ProgressEvent, Step } from '@inkflow/shared'
import type { EventLog, StoreFaultPolicy, UnsequencedEvent } from './event-log.js'
import type { EventBody, JobEvents } from './job-events.js'
import { createOrderedAppender } from './ordered-appender.js'

export interface JobEmitterOptions {
  jobId: string
  log: EventLog
  /** Progress already reported (a resumed job never reports less). Default 0. */
  startProgress?: number
  /** The token window: at most one `token` event per this many ms while deltas keep coming. Default 50. */
  coalesceMs?: number
  /** The attempt this writer runs, passed to the log as a fence (see `AppendOptions`). */
  attempt?: number
  /** A write the first append must follow (the job marked as run by `attempt`). */
  after?: Promise<unknown>
  /** Hears each appended event, in order (the runner mirrors progress into the job store). */
  onAppended?: (event: ProgressEvent) => Promise<void> | void
  /** Storage faults waited out in place (`ordered-appender.ts`). Default: none. */
  faults?: StoreFaultPolicy
  /** Hears the failure that stopped the appends (a `StoreOutageError` after an outage). */
  onFailure?: (err: unknown) => void
}

/**
 * A gap between two deltas this many windows long is the model's pause; a shorter one may be
 * a busy event loop's turn (under load a turn takes a window or two, and a model paced by
 * timers, like the demo, then seems to pause at every delta).
 */
export const MODEL_PAUSE_WINDOWS = 4

/** Text of one step (and section) gathered for one `token` event. */
interface TokenRun {
  step: Step
  index: number | undefined
  text: string
  /** The job's progress as of the run's last delta. */
  progress: number
}

/**
 * One job's `JobEvents`: stamps each event with the job, the time and a progress that never
 * goes down, gathers text deltas into `token` events, and appends everything in call order
 * (`ordered-appender.ts`).
 *
 * Gathering keeps a fast model from flooding every reader with one frame per word without
 * holding back a real model's first words. A delta that ends a quiet spell goes out at once;
 * any other is gathered for a window. A quiet spell is the job's and the model's: nothing
 * sent by the job for a window, and the delta is the first since the job's last other event
 * (a step's or section's first words, after the model's time to first token) or comes after
 * the model paused for `MODEL_PAUSE_WINDOWS` windows. So a trickling model's first words reach
 * readers at once, and a server too busy to keep its timers does not send each late delta on
 * its own — which, at 10,000 streams, multiplies the frames it must write until jobs stall
 * (`fan-out` in BENCHMARKS.md). A delta of another step or section first sends what was
 * gathered, so a `token` event never mixes two of them; any other event first sends what was
 * gathered, so the order holds.
 */
export function createJobEmitter(options: JobEmitterOptions): JobEvents & {
  readonly progress: number
} {
  const { jobId } = options
  const windowMs = options.coalesceMs ?? 50
  let progress = options.startProgress ?? 0
  const appender = createOrderedAppender(options)

  const advance = (to: number | undefined) => {
    if (to !== undefined) progress = Math.max(progress, Math.min(100, Math.round(to)))
    return progress
  }

  const append = (body: EventBody, at = progress): Promise<ProgressEvent> => {
    const event = { ...body, jobId, ts: new Date().toISOString(), progress: at } as UnsequencedEvent
    return appender.append(event)
  }

  let gathered: TokenRun | undefined
  let timer: NodeJS.Timeout | undefined
  let lastSentAt = Number.NEGATIVE_INFINITY
  // The previous delta's time; undefined until the first delta after another event.
  let lastDeltaAt: number | undefined

  const sendGathered = () => {
    clearTimeout(timer)
    timer = undefined
    if (!gathered) return
    const { step, index, text, progress: at } = gathered
    gathered = undefined
    lastSentAt = Date.now()
    const body: EventBody =
      index === undefined ? { type: 'token', step, text } : { type: 'token', step, index, text }
    append(body, at).catch(() => {}) // a failure fails the next emit or flush
  }

  /** Another event goes out: gathered text first, and the next delta is the first after it. */
  const beforeEvent = (progressTo: number | undefined) => {
    sendGathered()
    lastSentAt = Date.now()
    lastDeltaAt = undefined
    advance(progressTo)
  }

  return {
    get progress() {
      return progress
    },
    emit(body, progressTo) {
      beforeEvent(progressTo)
      return append(body)
    },
    emitLater(body, progressTo) {
      beforeEvent(progressTo)
      append(body).catch(() => {})
    },
    token(step, index, text, progressTo) {
      const at = advance(progressTo)
      const now = Date.now()
      const quiet =
        now - lastSentAt >= windowMs &&
        (lastDeltaAt === undefined || now - lastDeltaAt >= MODEL_PAUSE_WINDOWS * windowMs)
      lastDeltaAt = now
      if (gathered && (gathered.step !== step || gathered.index !== index)) sendGathered()
      if (gathered) {
        gathered.text += text
        gathered.progress = at
      } else gathered = { step, index, text, progress: at }
      if (timer) return
      if (quiet) sendGathered()
      else timer = setTimeout(sendGathered, windowMs)
    },
    async flush() {
      sendGathered()
      await appender.settled()
    },
  }
}
