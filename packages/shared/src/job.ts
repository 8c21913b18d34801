import { z } from 'zod'

import { TOPIC_MAX_LENGTH } from './limits.js'

export { TOPIC_MAX_LENGTH }

export const JobStatusSchema = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled'])
export type JobStatus = z.infer<typeof JobStatusSchema>

/** Statuses a job never leaves. */
export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled']

export const isTerminalStatus = (status: JobStatus): boolean => TERMINAL_STATUSES.includes(status)

/** The three steps of the article workflow, in order. */
export const StepSchema = z.enum(['outline', 'content', 'style'])
export type Step = z.infer<typeof StepSchema>

export const ArticleSectionSchema = z.object({
  title: z.string(),
  content: z.string(),
})
export type ArticleSection = z.infer<typeof ArticleSectionSchema>

export const ArticleSchema = z.object({
  title: z.string(),
  sections: z.array(ArticleSectionSchema),
  markdown: z.string(),
})
export type Article = z.infer<typeof ArticleSchema>

/** LLM tokens paid for by a job, summed over all its calls. */
export const UsageSchema = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  totalTokens: z.number().int().nonnegative(),
})
export type Usage = z.infer<typeof UsageSchema>

/** Why a job failed; `code` is stable and machine-readable, `message` is for people. */
export const JobErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
})
export type JobError = z.infer<typeof JobErrorSchema>

export const ProgressSchema = z.number().min(0).max(100)

/** `GET /api/jobs/{id}`. */
export const JobSchema = z.object({
  id: z.string(),
  topic: z.string(),
  status: JobStatusSchema,
  progress: ProgressSchema,
  step: StepSchema.nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  article: ArticleSchema.optional(),
  error: JobErrorSchema.optional(),
  usage: UsageSchema.optional(),
})
export type Job = z.infer<typeof JobSchema>

/** One row of `GET /api/jobs`. */
export const JobSummarySchema = JobSchema.pick({
  id: true,
  topic: true,
  status: true,
  progress: true,
  step: true,
  createdAt: true,
  updatedAt: true,
})
export type JobSummary = z.infer<typeof JobSummarySchema>
