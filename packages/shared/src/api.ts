import { z } from 'zod'
import {
  JobStatusSchema,
  JobSummarySchema,
  LengthSchema,
  TOPIC_MAX_LENGTH,
  ToneSchema,
} from './job.js'
import {
  ARTICLE_TITLE_MAX_LENGTH,
  AUDIENCE_MAX_LENGTH,
  canonicalLanguageTag,
  DEFAULT_JOB_OPTIONS,
  INSTRUCTION_MAX_LENGTH,
  isOneLine,
  OUTLINE_MAX_SECTIONS,
  OUTLINE_MIN_SECTIONS,
  OWNER_TOKEN_MIN_LENGTH,
  SECTION_TITLE_MAX_LENGTH,
} from './limits.js'

/** The message of a refused line of user text: it goes to prompts, so it must be one line. */
const oneLine = (what: string) =>
  `${what} must be one line: no newline, tab or other control character`

/**
 * `POST /api/jobs` body. The topic and audience are trimmed before their lengths are checked,
 * and must be one line (`isOneLine`); the language is a BCP 47 tag, returned in its canonical
 * form (`pt-br` → `pt-BR`); the parsed body has every option, defaults filled in.
 */
export const CreateJobBodySchema = z.object({
  topic: z
    .string({ error: 'topic must be a string' })
    .trim()
    .min(1, 'topic must not be empty')
    .max(TOPIC_MAX_LENGTH, `topic must be at most ${TOPIC_MAX_LENGTH} characters`)
    .refine(isOneLine, oneLine('topic')),
  tone: ToneSchema.default(DEFAULT_JOB_OPTIONS.tone),
  length: LengthSchema.default(DEFAULT_JOB_OPTIONS.length),
  audience: z
    .string({ error: 'audience must be a string' })
    .trim()
    .max(AUDIENCE_MAX_LENGTH, `audience must be at most ${AUDIENCE_MAX_LENGTH} characters`)
    .refine(isOneLine, oneLine('audience'))
    .default(DEFAULT_JOB_OPTIONS.audience),
  language: z
    .string({ error: 'language must be a string' })
    .trim()
    .refine(
      (tag) => canonicalLanguageTag(tag) !== undefined,
      'language must be a BCP 47 language tag such as en, fr, pt-BR or ar',
    )
    .transform((tag) => canonicalLanguageTag(tag) ?? tag)
    .default(DEFAULT_JOB_OPTIONS.language),
  reviewOutline: z
    .boolean({ error: 'reviewOutline must be true or false' })
    .default(DEFAULT_JOB_OPTIONS.reviewOutline),
})
export type CreateJobBody = z.infer<typeof CreateJobBodySchema>

/** `PUT /api/jobs/{id}/outline` body: the outline to write, as the person approved it. */
export const OutlineApprovalSchema = z.object({
  title: z
    .string({ error: 'title must be a string' })
    .trim()
    .min(1, 'title must not be empty')
    .max(ARTICLE_TITLE_MAX_LENGTH, `title must be at most ${ARTICLE_TITLE_MAX_LENGTH} characters`)
    .refine(isOneLine, oneLine('title')),
  sections: z
    .array(
      z
        .string({ error: 'a section title must be a string' })
        .trim()
        .min(1, 'a section title must not be empty')
        .max(
          SECTION_TITLE_MAX_LENGTH,
          `a section title must be at most ${SECTION_TITLE_MAX_LENGTH} characters`,
        )
        .refine(isOneLine, oneLine('a section title')),
    )
    .min(OUTLINE_MIN_SECTIONS, `an outline has at least ${OUTLINE_MIN_SECTIONS} sections`)
    .max(OUTLINE_MAX_SECTIONS, `an outline has at most ${OUTLINE_MAX_SECTIONS} sections`),
})
export type OutlineApproval = z.infer<typeof OutlineApprovalSchema>

/**
 * `POST /api/jobs/{id}/revisions` body: which section of the job's article to rewrite (a
 * 0-based index into `article.sections`) and how. The instruction is trimmed, 1–500
 * characters, one line.
 */
export const CreateRevisionBodySchema = z.object({
  section: z
    .number({ error: 'section must be a number' })
    .int('section must be a whole number')
    .nonnegative('section must be 0 or more'),
  instruction: z
    .string({ error: 'instruction must be a string' })
    .trim()
    .min(1, 'instruction must not be empty')
    .max(INSTRUCTION_MAX_LENGTH, `instruction must be at most ${INSTRUCTION_MAX_LENGTH} characters`)
    .refine(isOneLine, oneLine('instruction')),
})
export type CreateRevisionBody = z.infer<typeof CreateRevisionBodySchema>

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
  ownerToken: z.string().min(OWNER_TOKEN_MIN_LENGTH),
  links: z.object({ self: z.string(), events: z.string() }),
})
export type JobCreated = z.infer<typeof JobCreatedSchema>

export const JOB_LIST_MAX_LIMIT = 100
export const JOB_LIST_DEFAULT_LIMIT = 20

/** `GET /api/jobs` query (operators only). */
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

/** USD per million prompt (`inputPerMTok`) and output (`outputPerMTok`) tokens. */
export const PricesSchema = z.object({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
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
    topicMaxLength: z.number().int(),
    maxConcurrentJobs: z.number().int(),
    heartbeatMs: z.number().int(),
  }),
  prices: PricesSchema.nullable(),
})
export type ServerConfig = z.infer<typeof ServerConfigSchema>
