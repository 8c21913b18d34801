import { z } from 'zod/mini'
import { OWNER_TOKEN_MIN_LENGTH } from '../limits.js'
import { JobStatusSchema, JobSummarySchema } from './job.js'

/* The browser's twins of the answers in `../api.ts` (see `./job.ts` for why). */

export const JobAcceptedSchema = z.object({
  id: z.string(),
  status: JobStatusSchema,
  links: z.object({ self: z.string(), events: z.string() }),
})

export const JobCreatedSchema = z.object({
  id: z.string(),
  status: JobStatusSchema,
  ownerToken: z.string().check(z.minLength(OWNER_TOKEN_MIN_LENGTH)),
  links: z.object({ self: z.string(), events: z.string() }),
})

export const JobListSchema = z.object({
  items: z.array(JobSummarySchema),
  nextCursor: z.nullable(z.string()),
})

export const LlmProviderNameSchema = z.enum(['openai', 'demo'])

const int = () => z.number().check(z.int())
const price = () => z.number().check(z.nonnegative())

export const PricesSchema = z.object({ inputPerMTok: price(), outputPerMTok: price() })

export const ServerConfigSchema = z.object({
  provider: LlmProviderNameSchema,
  model: z.string(),
  limits: z.object({ topicMaxLength: int(), maxConcurrentJobs: int(), heartbeatMs: int() }),
  prices: z.nullable(PricesSchema),
})
