import { z } from 'zod/mini'
import { AUDIENCE_MAX_LENGTH, DEFAULT_JOB_OPTIONS, LANGUAGE_TAG_MAX_LENGTH } from '../limits.js'

/*
 * The browser's twins of `../job.ts`, written with `zod/mini`, whose functions tree-shake:
 * the classic API costs the SPA about 25 KB gzipped. Each twin must accept exactly what its
 * classic schema accepts; `test/mini-parity.test.ts` compares their JSON Schemas.
 */

export const JobStatusSchema = z.enum([
  'queued',
  'running',
  'waiting',
  'completed',
  'failed',
  'cancelled',
])
export const StepSchema = z.enum(['outline', 'content', 'style', 'revise'])

export const ToneSchema = z.enum(['conversational', 'professional', 'playful'])
export const LengthSchema = z.enum(['short', 'medium', 'long'])

export const JobOptionsSchema = z.object({
  tone: ToneSchema,
  length: LengthSchema,
  audience: z.string().check(z.maxLength(AUDIENCE_MAX_LENGTH)),
  language: z._default(
    z.string().check(z.maxLength(LANGUAGE_TAG_MAX_LENGTH)),
    DEFAULT_JOB_OPTIONS.language,
  ),
  reviewOutline: z.boolean(),
})

export const OutlineSchema = z.object({ title: z.string(), sections: z.array(z.string()) })

export const ArticleSectionSchema = z.object({ title: z.string(), content: z.string() })

export const ArticleSchema = z.object({
  title: z.string(),
  sections: z.array(ArticleSectionSchema),
  markdown: z.string(),
  language: z._default(z.string(), DEFAULT_JOB_OPTIONS.language),
})

const count = () => z.number().check(z.int(), z.nonnegative())

export const UsageSchema = z.object({
  promptTokens: count(),
  completionTokens: count(),
  totalTokens: count(),
  estimated: z._default(z.boolean(), false),
  cost: z.optional(z.number().check(z.nonnegative())),
})

export const JobErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
})

export const ProgressSchema = z.number().check(z.minimum(0), z.maximum(100))

export const RevisionOfSchema = z.object({
  jobId: z.string(),
  section: count(),
  instruction: z.string(),
})

export const JobSchema = z.object({
  id: z.string(),
  topic: z.string(),
  options: JobOptionsSchema,
  status: JobStatusSchema,
  progress: ProgressSchema,
  step: z.nullable(StepSchema),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  expiresAt: z.optional(z.iso.datetime()),
  outline: z.optional(OutlineSchema),
  article: z.optional(ArticleSchema),
  error: z.optional(JobErrorSchema),
  usage: z.optional(UsageSchema),
  revisionOf: z.optional(RevisionOfSchema),
})

export const JobSummarySchema = z.pick(JobSchema, {
  id: true,
  topic: true,
  status: true,
  progress: true,
  step: true,
  createdAt: true,
  updatedAt: true,
})
