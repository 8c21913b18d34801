import { OutlineApprovalSchema } from '@inkflow/shared'
import { Router } from 'express'
import type { JobStore } from '../../jobs/job-store.js'
import { JobNotWaitingError, type OutlineReview } from '../../jobs/outline-review.js'
import type { OwnerCheck } from '../auth.js'
import type { DailyBudget } from '../daily-budget.js'
import { HttpProblem } from '../problem.js'
import { toJob } from './job-view.js'
import { loadOwnedJob, notFoundProblem, requireJson } from './jobs-routes.js'

/** `PUT /api/jobs/{id}/outline`: the owner approves (perhaps edits) the outline of a waiting job. */
export function outlineRoutes(deps: {
  jobs: JobStore
  review: OutlineReview
  /** Guards controlling a job: its owner token, or the operator token (as cancel). */
  owner: OwnerCheck
  /**
   * The daily budget of the job's owner: an approval makes the model write the article, so
   * a spent budget refuses it (`429`) and the job keeps waiting.
   */
  budget: DailyBudget
  /** `JOB_TTL`, for the job's view. */
  jobTtlMs: number
}): Router {
  const router = Router()

  router.put('/api/jobs/:id/outline', async (req, res) => {
    const { id } = await loadOwnedJob(deps.jobs, deps.owner, req)
    requireJson(req)
    const body = OutlineApprovalSchema.safeParse(req.body)
    if (!body.success) throw HttpProblem.fromZod(body.error, 'Invalid outline')
    await deps.budget.checkOwnerOf(id)
    try {
      const job = await deps.review.approve(id, body.data)
      if (!job) throw notFoundProblem(id)
      res.status(202).json(toJob(job, deps.jobTtlMs))
    } catch (err) {
      if (err instanceof JobNotWaitingError) {
        throw new HttpProblem(409, 'Job not waiting for its outline', err.message)
      }
      throw err
    }
  })

  return router
}
