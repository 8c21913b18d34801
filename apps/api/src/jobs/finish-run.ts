import type { JobError } from '@inkflow/shared'
import type { Logger } from 'pino'
import { EventLogClosedError, EventLogFencedError, StoreOutageError } from '../events/event-log.js'
import type { JobEvents } from '../events/job-events.js'
import { LlmError } from '../llm/llm-error.js'
import type { ArticleState } from '../workflow/article/article-state.js'
import {
  type FinishJob,
  type FinishResult,
  type JobOutcome,
  UNEXPECTED_FAILURE,
} from './finish-job.js'
import { CancelRequested } from './interrupts.js'
import { JobFencedError } from './job-store.js'
import { DailyTokenBudgetError, JobTokenLimitError } from './job-token-meter.js'
import type { Persist } from './store-outage-run.js'

/** A run in progress, as its end sees it (`execute-job.ts` makes it). */
export interface ActiveRun {
  jobId: string
  /** The attempt this run is: the fence every write of the run carries. */
  attempt: number
  signal: AbortSignal
  log: Logger
  events: JobEvents & { readonly progress: number }
  /** Settles once every checkpoint asked for is saved; rejects when one failed. */
  checkpointsSettled(): Promise<void>
  /** Once every event the run emitted is in the log: the seq of the last one. */
  lastSeq(): Promise<number | undefined>
  state: ArticleState
  finish: FinishJob
  persist: Persist
}

/**
 * Writes the run's end after every event it emitted, at the next seq, fenced by its attempt.
 * A try after a lost answer finds the job ended by its own first try: `already-ended`.
 */
export async function endRun(
  run: ActiveRun,
  outcome: JobOutcome,
  progress = run.events.progress,
): Promise<FinishResult> {
  const writer = { attempt: run.attempt, lastSeq: run.lastSeq() }
  const result = await run.persist(() => run.finish(run.jobId, outcome, { progress, run: writer }))
  if (result === 'fenced')
    run.log.warn({ attempt: run.attempt }, 'job taken over by another worker; this attempt stops')
  return result
}

function toJobError(err: unknown): JobError {
  if (
    err instanceof LlmError ||
    err instanceof JobTokenLimitError ||
    err instanceof DailyTokenBudgetError
  )
    return { code: err.code, message: err.message, retryable: err.retryable }
  return UNEXPECTED_FAILURE
}

/**
 * Ends a run the flow left by throwing: cancelled or failed, or not at all — a job whose log
 * someone else ended, a run fenced out by another worker, or one interrupted (shutdown, a
 * lost lock) stays as it is, `running` with its checkpoint, and resumes from there. A store
 * that stayed away too long rethrows its `StoreOutageError`: nothing can be written.
 */
export async function endStoppedRun(run: ActiveRun, err: unknown): Promise<void> {
  const { signal, log, state } = run
  await run.checkpointsSettled().catch(() => {})
  await run.events.flush().catch(() => {})
  if (err instanceof EventLogClosedError) return // someone else ended the job first
  const outage = err instanceof StoreOutageError ? err : signal.reason
  if (outage instanceof StoreOutageError) throw outage
  if (err instanceof EventLogFencedError || err instanceof JobFencedError) {
    // Another worker took the job over (this one lost its lock), or the job was ended
    // meanwhile: this run may change nothing any more.
    log.warn({ attempt: run.attempt }, 'job taken over by another worker; this attempt stops')
    return
  }
  if (signal.aborted && signal.reason instanceof CancelRequested) {
    const reason = signal.reason.reason
    await endRun(run, { status: 'cancelled', reason, checkpoint: JSON.stringify(state) })
    log.info('job cancelled')
  } else if (signal.aborted) {
    log.info(
      { reason: signal.reason instanceof Error ? signal.reason.message : undefined },
      'job interrupted; it resumes from its checkpoint',
    )
  } else {
    const error = toJobError(err)
    if (error.code === 'internal_error') log.error({ err }, 'job failed unexpectedly')
    else log.warn({ err }, 'job failed')
    await endRun(run, {
      status: 'failed',
      error,
      usage: state.usage,
      checkpoint: JSON.stringify(state),
    })
  }
}
