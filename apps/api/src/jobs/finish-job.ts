import type { Article, JobError, Usage } from '@inkflow/shared'
import {
  type EventLog,
  EventLogClosedError,
  EventLogFencedError,
  type UnsequencedEvent,
} from '../events/event-log.js'
import type { EventBody, JobEvents } from '../events/job-events.js'
import type { JobPatch, JobStore } from './job-store.js'

/** How a job ended. A failed or cancelled job keeps its checkpoint, for the curious. */
export type JobOutcome =
  | { status: 'completed'; article: Article; usage?: Usage }
  | { status: 'failed'; error: JobError; usage?: Usage; checkpoint?: unknown }
  | { status: 'cancelled'; reason: string; checkpoint?: unknown }

/** What finishing did: recorded it, found the job ended already, or found this writer stale. */
export type FinishResult = 'finished' | 'already-ended' | 'fenced'

/** The error of a job that failed for a reason nobody planned for: its code and message only. */
export const UNEXPECTED_FAILURE: JobError = {
  code: 'internal_error',
  message: 'the job failed unexpectedly',
  retryable: true,
}

export interface FinishJobDeps {
  jobs: JobStore
  events: EventLog
}

function patchOf(outcome: JobOutcome, progress: number): JobPatch {
  // The article is the result now: the checkpoint that led to it is dropped.
  if (outcome.status === 'completed') {
    const { article, usage } = outcome
    return { status: 'completed', progress: 100, article, usage, checkpoint: undefined }
  }
  const patch: JobPatch =
    outcome.status === 'failed'
      ? { status: 'failed', progress, error: outcome.error, usage: outcome.usage }
      : { status: 'cancelled', progress }
  // Absent, the stored checkpoint stays (a patch with `checkpoint: undefined` would drop it).
  if (outcome.checkpoint !== undefined) patch.checkpoint = outcome.checkpoint
  return patch
}

function eventOf(outcome: JobOutcome): EventBody {
  switch (outcome.status) {
    case 'completed':
      return { type: 'job.completed', article: outcome.article, usage: outcome.usage }
    case 'failed':
      return { type: 'job.failed', error: outcome.error }
    case 'cancelled':
      return { type: 'job.cancelled', reason: outcome.reason }
  }
}

/**
 * Records every terminal outcome of a job, wherever it is decided — the executor (completed,
 * failed, cancelled while running), a cancel of a job that never started, BullMQ giving up —
 * in one way: the job store's update, then the terminal event.
 *
 * The store's write is issued first, so a client that sees the event and then reads the job
 * finds it finished. Both are issued in the same turn; on SQLite they usually commit in one
 * shared transaction, but nothing here makes them atomic: a crash between them leaves a
 * finished job whose log lacks its end (the stream's grace rule covers it).
 *
 * A running job's event goes through its `emitter`, after everything it emitted before and
 * fenced by its attempt; otherwise it is appended to the log directly. A log that already
 * ended (someone else finished the job first) or a fenced writer (another worker owns the
 * job now) is not an error: the result says which.
 */
export function createJobFinisher(deps: FinishJobDeps) {
  return async function finishJob(
    jobId: string,
    outcome: JobOutcome,
    at: { progress: number; emitter?: JobEvents },
  ): Promise<FinishResult> {
    const body = eventOf(outcome)
    const progress = outcome.status === 'completed' ? 100 : at.progress
    const stored = deps.jobs.update(jobId, patchOf(outcome, progress))
    const ended = at.emitter
      ? at.emitter.emit(body, progress)
      : deps.events.append({
          ...body,
          jobId,
          ts: new Date().toISOString(),
          progress,
        } as UnsequencedEvent)
    const [update, append] = await Promise.allSettled([stored, ended])
    if (update.status === 'rejected') throw update.reason
    if (append.status === 'fulfilled') return 'finished'
    if (append.reason instanceof EventLogClosedError) return 'already-ended'
    if (append.reason instanceof EventLogFencedError) return 'fenced'
    throw append.reason
  }
}

export type FinishJob = ReturnType<typeof createJobFinisher>
