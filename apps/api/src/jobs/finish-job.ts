import type { Article, JobError, JobStatus, Prices, Step, Usage } from '@inkflow/shared'
import {
  EventLogClosedError,
  EventLogFencedError,
  type UnsequencedEvent,
} from '../events/event-log.js'
import type { EventBody } from '../events/job-events.js'
import type { Failpoint } from '../lib/failpoint.js'
import { withCost } from '../llm/usage.js'
import type { FinishOptions, FinishStore } from './finish-store.js'
import { JobFencedError, type JobPatch, type JobRecord } from './job-store.js'

/**
 * How a job's run ended: the job's end (a failed or cancelled job keeps its checkpoint, for
 * the curious), or its parking for the outline review, with what the approval needs.
 */
export type JobOutcome =
  | { status: 'completed'; article: Article; usage?: Usage }
  | { status: 'failed'; error: JobError; usage?: Usage; checkpoint?: string }
  | { status: 'cancelled'; reason: string; checkpoint?: string }
  | {
      status: 'waiting'
      expiresAt: string
      outline: JobRecord['outline']
      step: Step | null
      checkpoint: string
    }

/** What finishing did: recorded it, found the job ended already, or found this writer stale. */
export type FinishResult = 'finished' | 'already-ended' | 'fenced'

/** The error of a job that failed for a reason nobody planned for: its code and message only. */
export const UNEXPECTED_FAILURE: JobError = {
  code: 'internal_error',
  message: 'the job failed unexpectedly',
  retryable: true,
}

export interface FinishJobDeps {
  finishes: FinishStore
  failpoint?: Failpoint
  /**
   * `LLM_PRICE_*`: a job's usage is priced as it ends, so its `job.completed` and its view
   * say the same cost. Absent or null: no `cost`.
   */
  prices?: Prices | null
}

/** The outcome with its usage priced (`withCost`), when it has usage. */
function priced(outcome: JobOutcome, prices: Prices | null | undefined): JobOutcome {
  if ((outcome.status !== 'completed' && outcome.status !== 'failed') || !outcome.usage) {
    return outcome
  }
  return { ...outcome, usage: withCost(outcome.usage, prices) }
}

/** A running job's writer, whose events come before the end. */
export interface JobRun {
  /** The attempt it runs: the finish is fenced by it. */
  attempt: number
  /**
   * Resolves, once every event the run emitted is in the log, with the seq of the last one
   * (the end takes the next); rejects with the run's failure when an append failed.
   */
  lastSeq: Promise<number | undefined>
}

function patchOf(outcome: JobOutcome, progress: number): JobPatch {
  // The article is the result now: the checkpoint that led to it is dropped.
  if (outcome.status === 'completed') {
    const { article, usage } = outcome
    return { status: 'completed', progress: 100, article, usage, checkpoint: undefined }
  }
  if (outcome.status === 'waiting') {
    const { expiresAt, outline, step, checkpoint } = outcome
    return { status: 'waiting', progress, step, outline, reviewExpiresAt: expiresAt, checkpoint }
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
    case 'waiting':
      return { type: 'job.waiting', for: 'outline', expiresAt: outcome.expiresAt }
  }
}

/**
 * Records every terminal outcome of a job, wherever it is decided — the executor (completed,
 * failed, cancelled while running), a cancel of a job that never started, BullMQ giving up —
 * and a run's parking for the outline review, in one way: the job's update and its event,
 * in one write of the storage (`FinishStore`), so that no crash at any moment leaves a
 * finished (or waiting) job without its event in the log, or the event without the status.
 *
 * A running job's end comes after everything it emitted: its `run` says when that has landed
 * and at which seq, and the finish names the next seq and is fenced by the run's attempt.
 * A job that is not running may be finished only while it still has the status the caller
 * saw (`at.status`: a waiting job's expiry or cancel), so an approval that moved it on first
 * wins. A log that already ended (someone else finished the job first) or a fenced writer
 * (another worker owns the job now, or the job moved on) is not an error: the result says
 * which, and nothing was written.
 */
export function createJobFinisher(deps: FinishJobDeps) {
  return async function finishJob(
    jobId: string,
    ended: JobOutcome,
    at: { progress: number; run?: JobRun; status?: JobStatus },
  ): Promise<FinishResult> {
    const outcome = priced(ended, deps.prices)
    const progress = outcome.status === 'completed' ? 100 : at.progress
    try {
      const options: FinishOptions = {}
      if (at.status !== undefined) options.status = at.status
      if (at.run) {
        const lastSeq = await at.run.lastSeq
        options.attempt = at.run.attempt
        if (lastSeq !== undefined) options.seq = lastSeq + 1
      }
      // Stamped once the run's events are in: the end is never older than what it follows.
      const event = {
        ...eventOf(outcome),
        jobId,
        ts: new Date().toISOString(),
        progress,
      } as UnsequencedEvent
      deps.failpoint?.('finish:before-commit')
      const finished = deps.finishes.finish(event, patchOf(outcome, progress), options)
      deps.failpoint?.('finish:commit-queued')
      await finished
      deps.failpoint?.('finish:after-commit')
      return 'finished'
    } catch (err) {
      if (err instanceof EventLogClosedError) return 'already-ended'
      if (err instanceof EventLogFencedError || err instanceof JobFencedError) return 'fenced'
      throw err
    }
  }
}

export type FinishJob = ReturnType<typeof createJobFinisher>
