import type { Request, RequestHandler } from 'express'
import { ipKeyGenerator, type RateLimitInfo, rateLimit, type Store } from 'express-rate-limit'
import { nextUtcMidnight, type SpendLedger } from '../jobs/spend-ledger.js'
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

/**
 * Who a request's client is, for budgets: its address (`req.ip`, which follows
 * `TRUST_PROXY`), an IPv6 address widened to its /56 as the rate limit does, so a client
 * cannot take a fresh budget from each address of its network.
 */
export const clientKey = (req: Request): string => ipKeyGenerator(req.ip ?? 'unknown')

/**
 * Refuses new jobs from a client that has spent `perDay` model tokens today (UTC; 0 turns it
 * off): a 429 problem saying when the budget resets, with `Retry-After` until then.
 */
export function dailyTokenBudget(options: {
  perDay: number
  ledger: SpendLedger
  metrics?: Metrics
}): RequestHandler {
  if (options.perDay === 0) return (_req, _res, next) => next()
  return async (req, _res, next) => {
    const now = new Date()
    const spent = await options.ledger.spent(clientKey(req), now)
    if (spent < options.perDay) return next()
    options.metrics?.rejected.inc({ reason: 'token_budget' })
    const resetsAt = nextUtcMidnight(now)
    const seconds = Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000))
    next(
      new HttpProblem(
        429,
        'Token budget spent',
        `this client has used its ${options.perDay} model tokens for today (UTC); the budget resets at ${resetsAt.toISOString()}, in ${seconds} s`,
        { headers: { 'Retry-After': String(seconds) } },
      ),
    )
  }
}

/** Runs two guards in turn, as one handler. */
export function bothGuards(first: RequestHandler, second: RequestHandler): RequestHandler {
  return (req, res, next) => {
    first(req, res, (err?: unknown) => (err ? next(err) : second(req, res, next)))
  }
}
