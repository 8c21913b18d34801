import { PROGRESS } from '../workflow/article/article-context.js'
import { type ActiveRun, endRun } from './finish-run.js'
import { CancelRequested } from './interrupts.js'

/**
 * The flow stopped for the outline review: the job waits, holding no worker slot, with its
 * outline in the checkpoint; `outline-review.ts` queues it again once approved. The waiting
 * status and `job.waiting` are one write (`FinishStore`), so whoever reads the event finds
 * the job waiting, and an approval never lands before the event that invited it.
 */
export async function parkForReview(run: ActiveRun, reviewTimeoutMs: number): Promise<void> {
  const { signal, state, log } = run
  await run.checkpointsSettled()
  await run.events.flush()
  signal.throwIfAborted()
  const expiresAt = new Date(Date.now() + reviewTimeoutMs).toISOString()
  const progress = Math.max(run.events.progress, PROGRESS.outline[1])
  const parked = await endRun(
    run,
    {
      status: 'waiting',
      expiresAt,
      outline: state.outline,
      step: 'outline',
      checkpoint: JSON.stringify(state),
    },
    progress,
  )
  if (parked !== 'finished') return
  log.info({ expiresAt }, 'job waits for its outline review')
  // A cancel that came while parking found the job running: it is honoured here.
  if (signal.aborted && signal.reason instanceof CancelRequested) {
    const reason = signal.reason.reason
    await run.finish(run.jobId, { status: 'cancelled', reason }, { progress, status: 'waiting' })
  }
}
