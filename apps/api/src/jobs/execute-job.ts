import { isTerminalStatus, type Step } from '@inkflow/shared'
import type { Logger } from 'pino'
import { type EventLog, StoreOutageError } from '../events/event-log.js'
import { createJobEmitter } from '../events/job-emitter.js'
import type { Failpoint } from '../lib/failpoint.js'
import type { LlmClient } from '../llm/llm.js'
import { LlmError } from '../llm/llm-error.js'
import { addUsage } from '../llm/usage.js'
import type { ArticleContext } from '../workflow/article/article-context.js'
import { createArticleFlow, createRevisionFlow } from '../workflow/article/article-flow.js'
import { assembleArticle } from '../workflow/article/article-markdown.js'
import {
  awaitsReview,
  type Outline,
  restoreArticleState,
} from '../workflow/article/article-state.js'
import { catchUpWithLog } from '../workflow/article/catch-up-with-log.js'
import type { RetryPolicy } from '../workflow/engine/retry.js'
import { createCheckpointWriter } from './checkpoint-writer.js'
import type { FinishJob } from './finish-job.js'
import { type ActiveRun, endRun, endStoppedRun } from './finish-run.js'
import type { JobExecutor } from './job-queue.js'
import { JobFencedError, type JobStore } from './job-store.js'
import { meterJobTokens } from './job-token-meter.js'
import { parkForReview } from './park-for-review.js'
import type { SpendLedger } from './spend-ledger.js'
import { persistWith, runLeavingOutages, type StorePatience } from './store-outage-run.js'

export interface JobExecutorDeps {
  jobs: JobStore
  events: EventLog
  finish: FinishJob
  llm: LlmClient
  logger: Logger
  /** Tries per model call, per retry budget (`workflow/engine/retry.ts`). Default 3 each. */
  retry?: Partial<RetryPolicy>
  /** Where each model call's tokens are added to the job's client's daily spend. */
  spend?: SpendLedger
  /**
   * `jobLimit`: model tokens one job may use (0: no limit); `maxOutputTokens`: the most one
   * call may write, counted ahead of each call against that limit.
   */
  tokens?: { jobLimit: number; maxOutputTokens: number; dailyPerClient?: number }
  /** How long a job waits for its outline review (`REVIEW_TIMEOUT`). Default 24 h. */
  reviewTimeoutMs?: number
  /** Test-only crash points (`lib/failpoint.ts`). */
  failpoint?: Failpoint
  /**
   * Storage faults waited out: every write of a run is tried again while the store fails for
   * a reason that may pass, up to `outageTimeoutMs` (`STORE_OUTAGE_TIMEOUT`); then the run
   * stops its model call and `leave` hears the job, to queue it again once the store is back.
   * Absent: a storage error fails the run at once.
   */
  store?: StorePatience
}

/**
 * Runs a job's article flow from its last checkpoint to its end, which `finish` records.
 * An interrupted job (shutdown, a lost lock) records nothing: it stays `running` with its
 * checkpoint and resumes from there. So does a job whose store stayed away longer than
 * `STORE_OUTAGE_TIMEOUT` (its writes are waited out until then): its model call stops and
 * `store.leave` hears it, to run it again once the store is back.
 */
export function createJobExecutor(deps: JobExecutorDeps): JobExecutor {
  const articleFlow = createArticleFlow(deps.retry)
  const revisionFlow = createRevisionFlow(deps.retry)

  const persist = persistWith(deps.store)
  return runLeavingOutages(executeRun, deps)

  async function executeRun(jobId: string, run: AbortController, log: Logger) {
    const { signal } = run
    const job = await persist(() => deps.jobs.get(jobId))
    // A waiting job runs again only once its outline is approved (it is `queued` then).
    if (!job || isTerminalStatus(job.status) || job.status === 'waiting') return
    // This run's attempt: the fence every write of the run carries.
    const runAttempt = job.attempt + 1
    // Where the log is: the job record's step and progress never run ahead of its events.
    let step: Step | null = job.step
    let progress = job.progress
    // The seq of this run's last event in the log: its end takes the next one.
    let lastSeq: number | undefined
    // The model's outline, kept on the record with the next step update.
    let outline: Outline | undefined
    // The first model call need not wait for this; the first append does (the log fences
    // appends on the job's attempt). Fenced by the attempt found: of two runs that found the
    // same, only one starts; and a job ended meanwhile (cancelled while queued) stays ended.
    // Every later update of this run is fenced by its own attempt.
    const running = persist(async (n) => {
      try {
        return await deps.jobs.update(
          jobId,
          { status: 'running', attempt: runAttempt },
          { attempt: job.attempt },
        )
      } catch (err) {
        // A try after a lost answer (Redis went away mid-reply) finds its own first try landed.
        const now = n > 1 && err instanceof JobFencedError ? await deps.jobs.get(jobId) : undefined
        if (now?.status === 'running' && now.attempt === runAttempt) return now
        throw err
      }
    }, signal)
    // A store that stays away past its timeout: the model call stops, nothing more is written.
    const onStoreFailure = (err: unknown) => {
      if (err instanceof StoreOutageError && !signal.aborted) run.abort(err)
    }
    running.catch(onStoreFailure)

    const events = createJobEmitter({
      jobId,
      log: deps.events,
      attempt: runAttempt,
      after: running,
      startProgress: job.progress,
      faults: deps.store?.health.policy(),
      onFailure: onStoreFailure,
      onAppended: async (event) => {
        progress = event.progress
        lastSeq = event.seq
        if (event.type === 'outline.ready')
          outline = { title: event.title, sections: event.sections }
        if (event.type !== 'step.started') return
        step = event.step
        const patch = outline ? { step, progress, outline } : { step, progress }
        outline = undefined
        await persist(() => deps.jobs.update(jobId, patch, { attempt: runAttempt }), signal)
      },
    })
    // Saved behind the next call, as JSON made when the flow asked (it goes on changing the
    // state). Each save lands after the events before it, with the step and progress the log
    // holds then: updates made later only move them further.
    const checkpoints = createCheckpointWriter<string>(async (checkpoint) => {
      await events.flush()
      await persist(
        () => deps.jobs.update(jobId, { checkpoint, progress, step }, { attempt: runAttempt }),
        signal,
      ).catch((err) => {
        onStoreFailure(err)
        throw err
      })
    })
    const state = restoreArticleState(job.topic, job.options, job.checkpoint)
    // A revision's task is its record's, whatever its checkpoint held.
    if (job.revisionOf && job.revisionBase) {
      const { section, instruction } = job.revisionOf
      state.revision = { section, instruction, base: job.revisionBase }
    }
    const flow = state.revision ? revisionFlow : articleFlow
    // A job that ran before may have logged results its checkpoint missed (killed between),
    // and part of the section it was writing: the flow carries on from there.
    const caughtUp =
      job.attempt > 0 ? await persist(() => catchUpWithLog(state, deps.events, jobId)) : undefined
    // Each call's tokens are the client's spend; a call that could pass the job's limit is not made.
    const { spend } = deps
    const llm = meterJobTokens({
      llm: deps.llm,
      limit: deps.tokens?.jobLimit ?? 0,
      maxOutputTokens: deps.tokens?.maxOutputTokens ?? 0,
      used: state.usage.totalTokens,
      onSpent: (usage) => {
        // Counted as the call ends, failed ones too: the next checkpoint (or the job's end) keeps it.
        state.usage = addUsage(state.usage, usage)
        persist(() => spend?.add(jobId, usage.totalTokens) ?? Promise.resolve()).catch((err) =>
          log.warn({ err }, 'spend not recorded'),
        )
      },
      daily: spend && {
        perDay: deps.tokens?.dailyPerClient ?? 0,
        spentToday: () => spend.spentByClientOf(jobId),
      },
    })
    const ctx: ArticleContext = {
      signal,
      llm,
      events,
      resume: caughtUp?.resume,
      checkpoint: () => checkpoints.save(JSON.stringify(state)),
      onRetry: async ({ attempt: callTry, delayMs, error }) => {
        // Our words only: what the server said is in the error's `detail`, logged here.
        const reason = error instanceof LlmError ? error.message : 'the model call failed'
        log.warn({ attempt: callTry, delayMs, err: error }, 'retrying a model call')
        await events.emit({ type: 'job.retrying', attempt: callTry, delayMs, reason })
      },
    }

    const active: ActiveRun = {
      jobId,
      attempt: runAttempt,
      signal,
      log,
      events,
      checkpointsSettled: () => checkpoints.settled(),
      lastSeq: () => events.flush().then(() => lastSeq),
      state,
      finish: deps.finish,
      persist,
    }
    try {
      events.emitLater({ type: 'job.started', attempt: runAttempt })
      await flow.run(state, ctx)
      if (awaitsReview(state)) {
        await parkForReview(active, deps.reviewTimeoutMs ?? 86_400_000)
        return
      }
      deps.failpoint?.('execute:flow-done')
      const article = assembleArticle(state)
      await checkpoints.settled()
      await events.flush()
      const outcome = { status: 'completed' as const, article, usage: state.usage }
      if ((await endRun(active, outcome)) === 'finished') {
        log.info({ usage: state.usage }, 'job completed')
      }
    } catch (err) {
      await endStoppedRun(active, err)
    }
  }
}
