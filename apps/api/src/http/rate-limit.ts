import type { Request, RequestHandler } from 'express'
import { MemoryStore, type RateLimitInfo, rateLimit, type Store } from 'express-rate-limit'
import type { Metrics } from '../observability/metrics.js'
import { clientKey } from './client-key.js'
import { HttpProblem } from './problem.js'

const WINDOW_MS = 60_000

/**
 * The per-client rate limit: `perMinute` counts per client and minute (0 turns it off), in
 * one store. Two things count: each `POST /api/jobs`, and each failed bearer check on any
 * route (a wrong API, owner or operator token), so guessing tokens costs a client its
 * minute like creating jobs does. A client over the limit gets a `429` problem with
 * `Retry-After`, for creating and for any route that checks a token.
 */
export interface ClientRateLimit {
  /** Counts a `POST /api/jobs`, or refuses it with `429` once the client is over. */
  creation: RequestHandler
  /**
   * Throws the `429` problem when the client is already over the limit; counts nothing.
   * Runs before a token is checked, so a client past the limit learns nothing more from
   * trying one.
   */
  refuseIfOver(req: Request): Promise<void>
  /** Counts a failed bearer check; throws the `429` problem when that takes the client over. */
  countFailure(req: Request): Promise<void>
}

/**
 * Builds the limit. `store`: the shared counters (Redis) when several instances serve one
 * API; default, this process's memory.
 */
export function createClientRateLimit(options: {
  perMinute: number
  metrics?: Metrics
  store?: Store
}): ClientRateLimit {
  const { perMinute } = options
  if (perMinute === 0) {
    return {
      creation: (_req, _res, next) => next(),
      refuseIfOver: async () => {},
      countFailure: async () => {},
    }
  }
  const store = options.store ?? new MemoryStore()
  const tooMany = (reset: Date | undefined) => {
    options.metrics?.rejected.inc({ reason: 'rate_limit' })
    const seconds = Math.max(
      1,
      Math.ceil(((reset?.getTime() ?? Date.now() + WINDOW_MS) - Date.now()) / 1000),
    )
    return new HttpProblem(
      429,
      'Too many requests',
      `at most ${perMinute} new jobs and failed token checks a minute; try again in ${seconds} s`,
      { headers: { 'Retry-After': String(seconds) } },
    )
  }
  const creation = rateLimit({
    windowMs: WINDOW_MS,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store,
    // One definition of a client for every per-client limit (`client-key.ts`).
    keyGenerator: clientKey,
    // `req.ip` follows `TRUST_PROXY`, validated at start; the app itself logs a forwarded
    // header it ignores (`forwarded-warning.ts`), once, instead of a stack trace on stderr.
    // The key generator widens IPv6 itself (`clientKey`).
    validate: { xForwardedForHeader: false, keyGeneratorIpFallback: false },
    handler: (req, _res, next) => {
      const info = (req as typeof req & { rateLimit?: RateLimitInfo }).rateLimit
      next(tooMany(info?.resetTime))
    },
  })
  return {
    creation,
    async refuseIfOver(req) {
      const info = await store.get?.(clientKey(req))
      // At the limit: the next request that counts would be refused, so this one is.
      if (info && info.totalHits >= perMinute) throw tooMany(info.resetTime)
    },
    async countFailure(req) {
      const info = await store.increment(clientKey(req))
      if (info.totalHits > perMinute) throw tooMany(info.resetTime)
    },
  }
}
