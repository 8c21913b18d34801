import type { RequestHandler } from 'express'
import { nextUtcMidnight, type SpendLedger } from '../jobs/spend-ledger.js'
import type { Metrics } from '../observability/metrics.js'
import { clientKey } from './client-key.js'
import { HttpProblem } from './problem.js'

/**
 * The daily token budget per client (`DAILY_TOKENS_PER_CLIENT`, UTC days), checked where a
 * request would make the model work: creating a job (the sender's budget) and approving a
 * waiting job's outline (its owner's, the client the job was created by). Spent: a `429`
 * problem saying when the budget resets, with `Retry-After` until then.
 */
export interface DailyBudget {
  /** Guards `POST /api/jobs`: the sending client's budget. */
  creation: RequestHandler
  /** Throws the `429` problem when the client of `jobId` has spent today's budget. */
  checkOwnerOf(jobId: string): Promise<void>
}

/** `perDay` 0 (or no ledger) turns the budget off. */
export function createDailyBudget(options: {
  perDay: number
  ledger?: SpendLedger
  metrics?: Metrics
}): DailyBudget {
  const { perDay, ledger } = options
  if (perDay === 0 || !ledger) {
    return { creation: (_req, _res, next) => next(), checkOwnerOf: async () => {} }
  }
  const refuse = (now: Date, whose: string) => {
    options.metrics?.rejected.inc({ reason: 'token_budget' })
    const resetsAt = nextUtcMidnight(now)
    const seconds = Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000))
    return new HttpProblem(
      429,
      'Token budget spent',
      `${whose} has used its ${perDay} model tokens for today (UTC); the budget resets at ${resetsAt.toISOString()}, in ${seconds} s`,
      { headers: { 'Retry-After': String(seconds) } },
    )
  }
  return {
    creation: async (req, _res, next) => {
      const now = new Date()
      if ((await ledger.spent(clientKey(req), now)) < perDay) return next()
      next(refuse(now, 'this client'))
    },
    async checkOwnerOf(jobId) {
      const now = new Date()
      if ((await ledger.spentByClientOf(jobId, now)) < perDay) return
      throw refuse(now, 'the client that started this job')
    },
  }
}
