import { createHash, timingSafeEqual } from 'node:crypto'
import type { Request, RequestHandler } from 'express'
import type { JobRecord } from '../jobs/job-store.js'
import { matchesOwnerToken } from '../jobs/owner-token.js'
import { HttpProblem } from './problem.js'
import type { ClientRateLimit } from './rate-limit.js'

/*
 * Who may do what (DESIGN.md): reading a job needs only its id; creating needs the API
 * token when `API_TOKEN` is set, and that token does nothing else; controlling a job
 * (cancel, outline approval) needs its owner token or the operator token; listing every job
 * and `/metrics` are the operator token's (`OPERATOR_TOKEN`; none configured: nobody lists,
 * and `/metrics` is open). Tokens travel as `Authorization: Bearer <token>` and are never
 * logged (`request-logger.ts` logs no header). A wrong token counts against the client's
 * rate limit (`rate-limit.ts`), so tokens cannot be guessed faster than jobs are created.
 */

const digest = (value: string) => createHash('sha256').update(value).digest()

/**
 * The bearer token of a request, or undefined when it sends none (or no Bearer one). The
 * scheme's name is case-insensitive (RFC 9110 §11.1).
 */
export function bearerToken(req: Request): string | undefined {
  return /^Bearer ([\x21-\x7e]+)$/i.exec(req.get('Authorization') ?? '')?.[1]
}

const unauthorized = (detail: string) =>
  new HttpProblem(401, 'Unauthorized', detail, { headers: { 'WWW-Authenticate': 'Bearer' } })

const forbidden = (detail: string) => new HttpProblem(403, 'Forbidden', detail)

/**
 * Whether a presented token is `secret`. Digests are compared in constant time, so neither
 * the token's content nor its length leaks through timing. No secret: nothing matches.
 */
function matcher(secret: string | undefined): (presented: string) => boolean {
  if (!secret) return () => false
  const expected = digest(secret)
  return (presented) => timingSafeEqual(digest(presented), expected)
}

export interface AccessOptions {
  /** `API_TOKEN`: when set, creating needs it. */
  apiToken?: string
  /** `OPERATOR_TOKEN`: listing, controlling any job, `/metrics`. */
  operatorToken?: string
  /** The client's rate limit, which failed token checks count against. */
  limit: ClientRateLimit
}

/**
 * Checks that a request may control a job: it must carry the job's owner token or the
 * operator token. Call `credentials` before loading the job (`429` for a client over its
 * rate limit, `401` without a token), then `authorize` with the job (`403`, counted against
 * the client, when the token is neither).
 */
export interface OwnerCheck {
  credentials(req: Request): Promise<string>
  authorize(req: Request, presented: string, job: JobRecord): Promise<void>
}

/** The guards of every route that checks a token. */
export interface Access {
  /** `POST /api/jobs`: the API token when one is set. */
  creating: RequestHandler
  /** Listing every job: the operator token; `403` when none is configured. */
  listing: RequestHandler
  /** `/metrics`: the operator token when one is configured; open otherwise. */
  metrics: RequestHandler
  owner: OwnerCheck
}

/** The guards of every route that checks a token, built once per app. */
export function createAccess(options: AccessOptions): Access {
  const { limit } = options
  const isApiToken = matcher(options.apiToken)
  const isOperator = matcher(options.operatorToken)

  /** Operators only: `401` without a token, `403` (counted) with any other. */
  const operatorOnly: RequestHandler = async (req, _res, next) => {
    await limit.refuseIfOver(req)
    const presented = bearerToken(req)
    if (presented === undefined) throw unauthorized('send Authorization: Bearer <OPERATOR_TOKEN>')
    if (isOperator(presented)) return next()
    await limit.countFailure(req)
    throw forbidden('only the operator token (OPERATOR_TOKEN) may do this')
  }

  /**
   * Guards `POST /api/jobs`: with `API_TOKEN` set, `401` unless the request carries it. Mount
   * it after the rate limit's `creation`, which counts every POST, a wrong token's too.
   */
  const creating: RequestHandler = (req, _res, next) => {
    if (!options.apiToken) return next()
    const presented = bearerToken(req)
    if (presented !== undefined && isApiToken(presented)) return next()
    next(unauthorized('send Authorization: Bearer <API_TOKEN>'))
  }

  /** Guards listing every job: the operator token; `403` when the server has none. */
  const listing: RequestHandler = options.operatorToken
    ? operatorOnly
    : (_req, _res, next) =>
        next(
          forbidden(
            'only operators may list every job, and this server has no OPERATOR_TOKEN; a browser keeps the jobs it started',
          ),
        )

  /** Guards `/metrics`: the operator token when one is configured; open otherwise. */
  const metrics: RequestHandler = options.operatorToken
    ? operatorOnly
    : (_req, _res, next) => next()

  return {
    creating,
    listing,
    metrics,
    owner: {
      async credentials(req) {
        await limit.refuseIfOver(req)
        const presented = bearerToken(req)
        if (presented === undefined) {
          throw unauthorized(
            'send Authorization: Bearer <ownerToken>, the token POST /api/jobs returned',
          )
        }
        return presented
      },
      async authorize(req, presented, job) {
        // Both checks always run, so the answer takes as long whichever token was sent.
        const owner = matchesOwnerToken(presented, job.ownerTokenHash)
        const operator = isOperator(presented)
        if (owner || operator) return
        await limit.countFailure(req)
        throw forbidden(
          'this token does not control this job: only the owner token POST /api/jobs returned for it (or the operator token) does',
        )
      },
    },
  }
}
