import type { RequestHandler } from 'express'
import { type RateLimitInfo, rateLimit, type Store } from 'express-rate-limit'
import type { Metrics } from '../observability/metrics.js'
import { HttpProblem } from './problem.js'

/**
 * Limits job creation per client IP to `perMinute` (0 turns it off). A refused request gets
 * a 429 problem with `Retry-After`. Pass a shared `store` when several instances serve one API.
 */
export function jobCreationLimit(options: {
  perMinute: number
  metrics?: Metrics
  store?: Store
}): RequestHandler {
  if (options.perMinute === 0) return (_req, _res, next) => next()
  return rateLimit({
    windowMs: 60_000,
    limit: options.perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: options.store,
    // `req.ip` follows `TRUST_PROXY`, validated at start; the app itself logs a forwarded
    // header it ignores (`forwarded-warning.ts`), once, instead of a stack trace on stderr.
    validate: { xForwardedForHeader: false },
    handler: (req, _res, next) => {
      options.metrics?.rejected.inc({ reason: 'rate_limit' })
      const info = (req as typeof req & { rateLimit?: RateLimitInfo }).rateLimit
      const reset = info?.resetTime?.getTime() ?? Date.now() + 60_000
      const seconds = Math.max(1, Math.ceil((reset - Date.now()) / 1000))
      next(
        new HttpProblem(
          429,
          'Too many requests',
          `at most ${options.perMinute} new jobs a minute; try again in ${seconds} s`,
          {
            headers: { 'Retry-After': String(seconds) },
          },
        ),
      )
    },
  })
}

/** Counts open streams per client and refuses one over `max`. */
export function createStreamQuota(max: number) {
  const open = new Map<string, number>()
  return {
    /** Takes a slot for `client`; returns its release, or undefined when the client is at the cap. */
    acquire(client: string): (() => void) | undefined {
      const count = open.get(client) ?? 0
      if (count >= max) return undefined
      open.set(client, count + 1)
      let released = false
      return () => {
        if (released) return
        released = true
        const left = (open.get(client) ?? 1) - 1
        if (left <= 0) open.delete(client)
        else open.set(client, left)
      }
    },
  }
}

export type StreamQuota = ReturnType<typeof createStreamQuota>
