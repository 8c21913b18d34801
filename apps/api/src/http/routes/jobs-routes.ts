import { CreateJobBodySchema, JobListQuerySchema } from '@inkflow/shared'
import { type Request, type RequestHandler, type Response, Router } from 'express'
import {
  type CreatedJob,
  JobFinishedError,
  type JobService,
  QueueFullError,
} from '../../jobs/job-service.js'
import {
  IdempotencyConflictError,
  InvalidCursorError,
  type JobStore,
} from '../../jobs/job-store.js'
import { type Access, bearerToken, type OwnerCheck } from '../auth.js'
import { clientKey } from '../client-key.js'
import { HttpProblem, storeUnavailableProblem } from '../problem.js'
import { jobPath, toAccepted, toCreated, toJob, toSummary } from './job-view.js'

/** Ids we hand out are UUIDs; anything far from that shape is not looked up. */
const MAX_ID_LENGTH = 64
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/

export const notFoundProblem = (id: string) =>
  new HttpProblem(
    404,
    'Job not found',
    `no job with id ${JSON.stringify(id.slice(0, MAX_ID_LENGTH))}`,
  )

/** Loads a job by route id, or throws the 404 problem. */
export async function loadJob(jobs: JobStore, id: string) {
  const job = id.length <= MAX_ID_LENGTH ? await jobs.get(id) : undefined
  if (!job) throw notFoundProblem(id)
  return job
}

/**
 * The job a controlling request names, once its sender is let on: the owner token (or the
 * operator token) is read first (`401`, `429`), the job loaded (`404`), then the token
 * checked against it (`403`, counted against the client).
 */
export async function loadOwnedJob(jobs: JobStore, owner: OwnerCheck, req: Request) {
  const token = await owner.credentials(req)
  const job = await loadJob(jobs, String(req.params.id))
  await owner.authorize(req, token, job)
  return job
}

/** Refuses a body that is not JSON (`415`): a form post never reaches the schema. */
export function requireJson(req: Request): void {
  if (!req.is('application/json')) {
    throw new HttpProblem(415, 'Unsupported media type', 'send the body as application/json')
  }
}

/** The request's `Idempotency-Key`, if any; `400` when it is not one we take. */
export function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.get('Idempotency-Key')
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new HttpProblem(400, 'Invalid Idempotency-Key', 'use 1 to 255 printable ASCII characters')
  }
  return key
}

/**
 * Sends the `202` of a new job (a revision too): its links and owner token, `Location`, and
 * `Idempotent-Replayed` when an idempotent repeat found it.
 */
export function sendCreated(res: Response, created: CreatedJob): void {
  if (!created.created) res.setHeader('Idempotent-Replayed', 'true')
  // The owner token is in this body: no cache along the way may keep it.
  res.setHeader('Cache-Control', 'no-store')
  res.status(202).location(jobPath(created.job.id)).json(toCreated(created.job, created.ownerToken))
}

/** Rethrows a refused create as its problem: a reused idempotency key `422`, a full queue `503`. */
export function throwCreateProblem(err: unknown): never {
  if (err instanceof IdempotencyConflictError) {
    throw new HttpProblem(422, 'Idempotency key reused', err.message)
  }
  if (err instanceof QueueFullError) {
    throw new HttpProblem(503, 'Queue full', err.message, { headers: { 'Retry-After': '10' } })
  }
  throw err
}

export function jobsRoutes(deps: {
  jobs: JobStore
  service: JobService
  /** Whether the store takes writes now: a job is not accepted while it does not (`503`). */
  storeWritable?: () => boolean
  /** Who may create, list and control (`auth.ts`). */
  access: Access
  /**
   * Limits job creation per client: the rate limit, which runs first so that every POST
   * counts (one with a wrong API token too), then the daily budget.
   */
  createLimit: { rate: RequestHandler; budget: RequestHandler }
  /** `JOB_TTL`: how long an ended job is kept, which its view tells (`expiresAt`). */
  jobTtlMs: number
}): Router {
  const router = Router()
  const { access } = deps

  router.post(
    '/api/jobs',
    deps.createLimit.rate,
    access.creating,
    deps.createLimit.budget,
    async (req, res) => {
      if (deps.storeWritable?.() === false) throw storeUnavailableProblem()
      requireJson(req)
      const key = idempotencyKeyOf(req)
      const body = CreateJobBodySchema.safeParse(req.body)
      if (!body.success) throw HttpProblem.fromZod(body.error, 'Invalid job')
      const by = { client: clientKey(req), credential: bearerToken(req) }
      sendCreated(res, await deps.service.create(body.data, key, by).catch(throwCreateProblem))
    },
  )

  router.get('/api/jobs', access.listing, async (req, res) => {
    const query = JobListQuerySchema.safeParse(req.query)
    if (!query.success) throw HttpProblem.fromZod(query.error, 'Invalid query', 400)
    try {
      const page = await deps.jobs.list(query.data)
      res.json({ items: page.items.map(toSummary), nextCursor: page.nextCursor })
    } catch (err) {
      if (err instanceof InvalidCursorError)
        throw new HttpProblem(400, 'Invalid cursor', err.message)
      throw err
    }
  })

  router.get('/api/jobs/:id', async (req, res) => {
    res.json(toJob(await loadJob(deps.jobs, req.params.id), deps.jobTtlMs))
  })

  router.post('/api/jobs/:id/cancel', async (req, res) => {
    const { id } = await loadOwnedJob(deps.jobs, access.owner, req)
    try {
      const job = await deps.service.cancel(id)
      if (!job) throw notFoundProblem(id)
      res.status(202).json(toAccepted(job))
    } catch (err) {
      if (err instanceof JobFinishedError)
        throw new HttpProblem(409, 'Job already finished', err.message)
      throw err
    }
  })

  return router
}
