import { createHash, timingSafeEqual } from 'node:crypto'
import type { RequestHandler } from 'express'
import { HttpProblem } from './problem.js'

const digest = (value: string) => createHash('sha256').update(value).digest()

/**
 * Requires `Authorization: Bearer <API_TOKEN>` when a token is set; lets everything through
 * when none is. Digests are compared in constant time, so neither the token's content nor
 * its length leaks through timing.
 */
export function requireToken(token: string | undefined): RequestHandler {
  if (!token) return (_req, _res, next) => next()
  const expected = digest(token)
  return (req, _res, next) => {
    const match = /^Bearer ([\x21-\x7e]+)$/.exec(req.get('Authorization') ?? '')
    if (match && timingSafeEqual(digest(match[1]!), expected)) return next()
    next(
      new HttpProblem(401, 'Unauthorized', 'send Authorization: Bearer <API_TOKEN>', {
        headers: { 'WWW-Authenticate': 'Bearer' },
      }),
    )
  }
}
