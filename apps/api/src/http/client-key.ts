import type { Request } from 'express'
import { ipKeyGenerator } from 'express-rate-limit'

/**
 * Who a request's client is, for every per-client limit (the rate limit, stream quotas,
 * budgets, the scope of idempotency keys): its address (`req.ip`, which follows
 * `TRUST_PROXY`), an IPv6 address widened to its /56, so a client cannot take a fresh
 * allowance from each address of its network.
 */
export const clientKey = (req: Request): string => ipKeyGenerator(req.ip ?? 'unknown', 56)
