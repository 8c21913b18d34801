import { createHash, timingSafeEqual } from 'node:crypto'
import type { Request, RequestHandler } from 'express'
import type { JobRecord } from '../jobs/job-store.js'
import { matchesOwnerToken } from '../jobs/owner-token.js'
import { HttpProblem } from './problem.js'

/*
 * Who may do what (DESIGN.md): reading a job needs only its id; creating needs the API
 * token when `API_TOKEN` is set; listing every job needs the API token (none configured:
 * nobody may); controlling a job (cancel, outline approval) needs its owner token or the
 * API token. Tokens travel as `Authorization: Bearer <token>` and are never logged
 * (`request-logger.ts` logs no header).
 */

const digest = (value: string) => createHash('sha256').update(value).digest()

/**
 * The bearer token of a request, or undefined when it sends none (or no Bearer one). The
 * scheme's name is case-insensitive (RFC 9110 §11.1).
 */
function bearerToken(req: Request): string | undefined {
  return /^Bearer ([\x21-\x7e]+)$/i.exec(req.get('Authorization') ?? '')?.[1]
}

const unauthorized = (detail: string) =>
  new HttpProblem(401, 'Unauthorized', detail, { headers: { 'WWW-Authenticate': 'Bearer' } })

/**
 * Whether `presented` is the API token. Digests are compared in constant time, so neither
 * the token's content nor its length leaks through timing.
 */
function operatorCheck(apiToken: string | undefined): (presented: string) => boolean {
  if (!apiToken) return () => false
  const expected = digest(apiToken)
  return (presented) => timingSafeEqual(digest(presented), expected)
}

/**
 * Requires `Authorization: Bearer <API_TOKEN>` when a token is set (`401` when missing or
 * wrong); lets everything through when none is.
 */
export function requireToken(token: string | undefined): RequestHandler {
  if (!token) return (_req, _res, next) => next()
  const isOperator = operatorCheck(token)
  return (req, _res, next) => {
    const presented = bearerToken(req)
    if (presented !== undefined && isOperator(presented)) return next()
    next(unauthorized('send Authorization: Bearer <API_TOKEN>'))
  }
}

/**
 * For routes only operators may use, such as listing every job: `403` when the server has
 * no `API_TOKEN` (so nobody is an operator), else `401` unless the request carries it.
 */
export function requireOperator(token: string | undefined): RequestHandler {
  if (!token) {
    return (_req, _res, next) =>
      next(
        new HttpProblem(
          403,
          'Forbidden',
          'only operators may list every job, and this server has no API_TOKEN; a browser keeps the jobs it started',
        ),
      )
  }
  return requireToken(token)
}

/**
 * Checks that a request may control a job: it must carry the job's owner token or the API
 * token. Call `credentials` before loading the job (`401` without any), then `authorize`
 * with the job (`403` when the token is neither).
 */
export function ownerCheck(apiToken: string | undefined) {
  const isOperator = operatorCheck(apiToken)
  return {
    credentials(req: Request): string {
      const presented = bearerToken(req)
      if (presented === undefined) {
        throw unauthorized(
          'send Authorization: Bearer <ownerToken>, the token POST /api/jobs returned',
        )
      }
      return presented
    },
    authorize(presented: string, job: JobRecord): void {
      // Both checks always run, so the answer takes as long whichever token was sent.
      const owner = matchesOwnerToken(presented, job.ownerTokenHash)
      const operator = isOperator(presented)
      if (owner || operator) return
      throw new HttpProblem(
        403,
        'Forbidden',
        'this token does not control this job: only the owner token POST /api/jobs returned for it (or the API token) does',
      )
    },
  }
}

export type OwnerCheck = ReturnType<typeof ownerCheck>
