import { CreateRevisionBodySchema } from '@inkflow/shared'
import { type RequestHandler, Router } from 'express'
import type { JobService } from '../../jobs/job-service.js'
import type { JobRecord, JobStore } from '../../jobs/job-store.js'
import { JobNotCompletedError, SectionOutOfRangeError } from '../../jobs/revision.js'
import { bearerToken, type OwnerCheck } from '../auth.js'
import { clientKey } from '../client-key.js'
import { HttpProblem, storeUnavailableProblem } from '../problem.js'
import {
  idempotencyKeyOf,
  loadOwnedJob,
  requireJson,
  sendCreated,
  throwCreateProblem,
} from './jobs-routes.js'

/**
 * `POST /api/jobs/{id}/revisions`: the owner of a completed job (or an operator) asks for the
 * next version of its article, one section rewritten as the instruction says. The answer is
 * a new job's `202`, as `POST /api/jobs` gives; the job revised is only read.
 *
 * Checked in this order: the owner token (`401`, `403` counted against the client), then the
 * rate limit, which counts the request like a new job, and the sender's daily budget (`429`),
 * then the store (`503`), the body (`415`, `400` for a bad `Idempotency-Key`, `422`), the
 * job's status (`409`) and the section (`422`).
 */
export function revisionRoutes(deps: {
  jobs: JobStore
  service: JobService
  owner: OwnerCheck
  /** The limits of `POST /api/jobs`: a revision makes the model work as much as a job. */
  createLimit: { rate: RequestHandler; budget: RequestHandler }
  /** Whether the store takes writes now (`503` while it does not). */
  storeWritable?: () => boolean
}): Router {
  const router = Router()

  /** Lets only the job's owner (or an operator) on; the job goes on in `res.locals`. */
  const ownerOnly: RequestHandler = async (req, res, next) => {
    res.locals.job = await loadOwnedJob(deps.jobs, deps.owner, req)
    next()
  }

  router.post(
    '/api/jobs/:id/revisions',
    ownerOnly,
    deps.createLimit.rate,
    deps.createLimit.budget,
    async (req, res) => {
      if (deps.storeWritable?.() === false) throw storeUnavailableProblem()
      requireJson(req)
      const key = idempotencyKeyOf(req)
      const body = CreateRevisionBodySchema.safeParse(req.body)
      if (!body.success) throw HttpProblem.fromZod(body.error, 'Invalid revision')
      const original = res.locals.job as JobRecord
      const by = { client: clientKey(req), credential: bearerToken(req) }
      try {
        sendCreated(res, await deps.service.revise(original, body.data, key, by))
      } catch (err) {
        if (err instanceof JobNotCompletedError) {
          throw new HttpProblem(409, 'Job not completed', err.message)
        }
        if (err instanceof SectionOutOfRangeError) {
          throw new HttpProblem(422, 'Invalid revision', err.message, {
            errors: [{ path: 'section', message: err.message }],
          })
        }
        throwCreateProblem(err)
      }
    },
  )

  return router
}
