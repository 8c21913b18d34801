import type { ProgressEvent } from '@inkflow/shared'
import type { EventLog, StoreFaultPolicy, UnsequencedEvent } from './event-log.js'
import type { EventBody, JobEvents } from './job-events.js'
import { createOrderedAppender } from './ordered-appender.js'
import { createTokenCoalescer } from './token-coalescer.js'

export interface JobEmitterOptions {
  jobId: string
  log: EventLog
  /** Progress already reported (a resumed job never reports less). Default 0. */
  startProgress?: number
  /** The token window (`token-coalescer.ts`). Default 50 ms. */
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
 * One job's `JobEvents`: stamps each event with the job, the time and a progress that never
 * goes down, gathers token deltas (`token-coalescer.ts`) and appends everything in order
 * (`ordered-appender.ts`).
 */
export function createJobEmitter(options: JobEmitterOptions): JobEvents & {
  readonly progress: number
} {
  const { jobId } = options
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

  const tokens = createTokenCoalescer({
    windowMs: options.coalesceMs,
    send: ({ step, index, text, progress: at }) => {
      const body: EventBody =
        index === undefined ? { type: 'token', step, text } : { type: 'token', step, index, text }
      append(body, at).catch(() => {}) // a failure fails the next emit or flush
    },
  })

  return {
    get progress() {
      return progress
    },
    emit(body, progressTo) {
      tokens.flush()
      tokens.markSent()
      advance(progressTo)
      return append(body)
    },
    emitLater(body, progressTo) {
      tokens.flush()
      tokens.markSent()
      advance(progressTo)
      append(body).catch(() => {})
    },
    token(step, index, text, progressTo) {
      tokens.add(step, index, text, advance(progressTo))
    },
    async flush() {
      tokens.flush()
      await appender.settled()
    },
  }
}
