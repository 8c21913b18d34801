import type { OutlineApproval } from '@inkflow/shared'
import { type EventLog, EventLogClosedError } from '../events/event-log.js'
import { approveOutline, restoreArticleState } from '../workflow/article/article-state.js'
import type { JobQueue } from './job-queue.js'
import { JobFencedError, type JobRecord, type JobStore } from './job-store.js'

/** The job is not waiting for its outline review (never was, moved on, or ended). */
export class JobNotWaitingError extends Error {
  readonly code = 'job_not_waiting'
  constructor(readonly job: JobRecord) {
    super(`the job is ${job.status}, not waiting for its outline review`)
  }
}

export interface OutlineReviewDeps {
  jobs: JobStore
  events: EventLog
  queue: JobQueue
}

/** Whether the proposal and the approved outline differ: title, sections or their order. */
export function isEdited(proposal: OutlineApproval, approved: OutlineApproval): boolean {
  return (
    proposal.title !== approved.title ||
    proposal.sections.length !== approved.sections.length ||
    proposal.sections.some((title, i) => title !== approved.sections[i])
  )
}

/** Approving the outline of a job that waits for its review (`PUT /api/jobs/{id}/outline`). */
export function createOutlineReview(deps: OutlineReviewDeps) {
  return {
    /**
     * Approves `outline` as sent: stores it (on the job and in its checkpoint, so the content
     * step writes exactly its sections, after a crash too), logs `outline.approved` and
     * queues the job again. Of concurrent approvals, expiries and cancels, the first to move
     * the job off `waiting` wins; the others find it moved (`JobNotWaitingError`). Returns
     * the job as queued, or undefined when unknown.
     */
    async approve(jobId: string, outline: OutlineApproval): Promise<JobRecord | undefined> {
      // `job.waiting` and the waiting status were written together: a client that read the
      // event finds the job waiting.
      const job = await deps.jobs.get(jobId)
      if (!job) return undefined
      if (job.status !== 'waiting' || !job.outline) throw new JobNotWaitingError(job)
      const edited = isEdited(job.outline, outline)
      const state = restoreArticleState(job.topic, job.options, job.checkpoint)
      let queued: JobRecord
      try {
        queued = await deps.jobs.update(
          jobId,
          {
            status: 'queued',
            outline,
            reviewExpiresAt: undefined,
            checkpoint: JSON.stringify(approveOutline(state, outline)),
          },
          { status: 'waiting' },
        )
      } catch (err) {
        if (err instanceof JobFencedError) {
          throw new JobNotWaitingError((await deps.jobs.get(jobId)) ?? job)
        }
        throw err
      }
      try {
        await deps.events.append({
          type: 'outline.approved',
          jobId,
          ts: new Date().toISOString(),
          progress: job.progress,
          title: outline.title,
          sections: outline.sections,
          edited,
        })
      } catch (err) {
        // A cancel ended the job between the two writes: it stays cancelled.
        if (err instanceof EventLogClosedError) {
          throw new JobNotWaitingError((await deps.jobs.get(jobId)) ?? queued)
        }
        throw err
      }
      await deps.queue.requeue(jobId)
      return queued
    },
  }
}

export type OutlineReview = ReturnType<typeof createOutlineReview>
