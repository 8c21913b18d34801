import { z } from 'zod'
import { JobStatusSchema, JobSummarySchema, TOPIC_MAX_LENGTH } from './job.js'

/** `POST /api/jobs` body. The topic is trimmed before its length is checked. */
export const CreateJobBodySchema = z.object({
  topic: z
    .string({ error: 'topic must be a string' })
    .trim()
    .min(1, 'topic must not be empty')
    .max(TOPIC_MAX_LENGTH, `topic must be at most ${TOPIC_MAX_LENGTH} characters`),
})
export type CreateJobBody = z.infer<typeof CreateJobBodySchema>

/** `202` answer of `POST /api/jobs` (and of `POST /api/jobs/{id}/cancel`). */
export const JobAcceptedSchema = z.object({
  id: z.string(),
  status: JobStatusSchema,
  links: z.object({ self: z.string(), events: z.string() }),
})
export type JobAccepted = z.infer<typeof JobAcceptedSchema>

export const JOB_LIST_MAX_LIMIT = 100
export const JOB_LIST_DEFAULT_LIMIT = 20

/** `GET /api/jobs` query. */
export const JobListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(JOB_LIST_MAX_LIMIT).default(JOB_LIST_DEFAULT_LIMIT),
  cursor: z.string().max(200).optional(),
})
export type JobListQuery = z.infer<typeof JobListQuerySchema>

/** `GET /api/jobs`: newest first; `nextCursor` is null on the last page. */
export const JobListSchema = z.object({
  items: z.array(JobSummarySchema),
  nextCursor: z.string().nullable(),
})
export type JobList = z.infer<typeof JobListSchema>

export const LlmProviderNameSchema = z.enum(['openai', 'demo'])
export type LlmProviderName = z.infer<typeof LlmProviderNameSchema>

/** `GET /api/config`: what the SPA needs to know about this server. */
export const ServerConfigSchema = z.object({
  provider: LlmProviderNameSchema,
  model: z.string(),
  limits: z.object({
    topicMaxLength: z.number().int(),
    maxConcurrentJobs: z.number().int(),
    heartbeatMs: z.number().int(),
  }),
})
export type ServerConfig = z.infer<typeof ServerConfigSchema>
