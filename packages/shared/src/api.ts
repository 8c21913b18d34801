import { z } from 'zod/mini'
import { JobStatusSchema, JobSummarySchema } from './job.js'
import { OWNER_TOKEN_MIN_LENGTH } from './limits.js'

/** `202` answer of `POST /api/jobs/{id}/cancel` (and the base of `JobCreated`). */
export const JobAcceptedSchema = z.object({
  id: z.string(),
  status: JobStatusSchema,
  links: z.object({ self: z.string(), events: z.string() }),
})
export type JobAccepted = z.infer<typeof JobAcceptedSchema>

/**
 * `202` answer of `POST /api/jobs`: the job's links plus its `ownerToken`, the bearer token
 * that cancels it (and approves its outline). The token is returned only here, and again on
 * an idempotent replay of the same POST; the server keeps nothing but its hash.
 */
export const JobCreatedSchema = z.object({
  id: z.string(),
  status: JobStatusSchema,
  ownerToken: z.string().check(z.minLength(OWNER_TOKEN_MIN_LENGTH)),
  links: z.object({ self: z.string(), events: z.string() }),
})
export type JobCreated = z.infer<typeof JobCreatedSchema>

/** `GET /api/jobs`: newest first; `nextCursor` is null on the last page. */
export const JobListSchema = z.object({
  items: z.array(JobSummarySchema),
  nextCursor: z.nullable(z.string()),
})

const LlmProviderNameSchema = z.enum(['openai', 'demo'])
export type LlmProviderName = z.infer<typeof LlmProviderNameSchema>

/** USD per million prompt (`inputPerMTok`) and output (`outputPerMTok`) tokens. */
export const PricesSchema = z.object({
  inputPerMTok: z.number().check(z.nonnegative()),
  outputPerMTok: z.number().check(z.nonnegative()),
})
export type Prices = z.infer<typeof PricesSchema>

/**
 * `GET /api/config`: what the SPA needs to know about this server. `prices` is `null` unless
 * both `LLM_PRICE_*` settings are set (then jobs' usage carries a `cost`).
 */
export const ServerConfigSchema = z.object({
  provider: LlmProviderNameSchema,
  model: z.string(),
  limits: z.object({
    topicMaxLength: z.number().check(z.int()),
    maxConcurrentJobs: z.number().check(z.int()),
    heartbeatMs: z.number().check(z.int()),
  }),
  prices: z.nullable(PricesSchema),
})
export type ServerConfig = z.infer<typeof ServerConfigSchema>
