import type { DistributiveOmit, NewProgressEvent, ProgressEvent, Step } from '@inkflow/shared'

/** An event as the workflow states it; the emitter adds `jobId`, `ts`, `progress`, the log `seq`. */
export type EventBody = DistributiveOmit<NewProgressEvent, 'progress'>

/**
 * The narrow port the workflow emits to: it says what happened, in order, and the job's
 * emitter (`job-emitter.ts`) turns that into appends to the job's `EventLog`.
 *
 * `progressTo` is where the job's progress should be after the event; progress never goes
 * down, so a smaller value leaves it where it is.
 */
export interface JobEvents {
  /** Appends one event after everything emitted before it, and resolves once it is in the log. */
  emit(body: EventBody, progressTo?: number): Promise<ProgressEvent>
  /**
   * `emit` without waiting: appends one event in order, so the workflow can start its next
   * model call meanwhile. A failed append is not lost: it fails the next `emit` or `flush`.
   */
  emitLater(body: EventBody, progressTo?: number): void
  /** A text delta of a step (and section): gathered into `token` events, never lost. */
  token(step: Step, index: number | undefined, text: string, progressTo?: number): void
  /** Sends gathered tokens and waits until every event emitted so far is in the log. */
  flush(): Promise<void>
}
