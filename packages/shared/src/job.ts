import { z } from 'zod'

import {
  AUDIENCE_MAX_LENGTH,
  DEFAULT_JOB_OPTIONS,
  LANGUAGE_TAG_MAX_LENGTH,
  TOPIC_MAX_LENGTH,
} from './limits.js'

export { TOPIC_MAX_LENGTH }

/** `waiting`: the job stopped after its outline and waits for a person to approve it. */
export const JobStatusSchema = z.enum([
  'queued',
  'running',
  'waiting',
  'completed',
  'failed',
  'cancelled',
])
export type JobStatus = z.infer<typeof JobStatusSchema>

/** Statuses a job never leaves. */
export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled']

export const isTerminalStatus = (status: JobStatus): boolean => TERMINAL_STATUSES.includes(status)

/**
 * The three steps of the article workflow, in order, and `revise`: the one step of a revision
 * job, which rewrites one section of a finished article.
 */
export const StepSchema = z.enum(['outline', 'content', 'style', 'revise'])
export type Step = z.infer<typeof StepSchema>

/** The voice of the style pass. */
export const ToneSchema = z.enum(['conversational', 'professional', 'playful'])
export type Tone = z.infer<typeof ToneSchema>

/** How long the article is: the words asked of each section. */
export const LengthSchema = z.enum(['short', 'medium', 'long'])
export type Length = z.infer<typeof LengthSchema>

/** What shapes a job's article, with every default filled in (as stored and returned). */
export const JobOptionsSchema = z.object({
  tone: ToneSchema,
  length: LengthSchema,
  /** Who the article is for; empty means a general reader. */
  audience: z.string().max(AUDIENCE_MAX_LENGTH),
  /**
   * The article's language, a canonical BCP 47 tag (`en`, `fr`, `pt-BR`); absent in records
   * written before it existed, read as `en`.
   */
  language: z.string().max(LANGUAGE_TAG_MAX_LENGTH).default(DEFAULT_JOB_OPTIONS.language),
  /** Stop after the outline and wait for `PUT /api/jobs/{id}/outline`. */
  reviewOutline: z.boolean(),
})
export type JobOptions = z.infer<typeof JobOptionsSchema>

/** An article's plan: its title and the titles of its sections, in order. */
export const OutlineSchema = z.object({
  title: z.string(),
  sections: z.array(z.string()),
})
export type Outline = z.infer<typeof OutlineSchema>

export const ArticleSectionSchema = z.object({
  title: z.string(),
  content: z.string(),
})
export type ArticleSection = z.infer<typeof ArticleSectionSchema>

export const ArticleSchema = z.object({
  title: z.string(),
  sections: z.array(ArticleSectionSchema),
  markdown: z.string(),
  /** The job's `options.language`; absent in records written before it existed, read as `en`. */
  language: z.string().default(DEFAULT_JOB_OPTIONS.language),
})
export type Article = z.infer<typeof ArticleSchema>

/**
 * LLM tokens paid for by a job, summed over all its calls (failed and cut ones included).
 * `estimated`: some call's server reported no usage, so its tokens were counted on our side
 * (≈ 4 characters a token); absent in records written before it existed, read as `false`.
 */
export const UsageSchema = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  totalTokens: z.number().int().nonnegative(),
  estimated: z.boolean().default(false),
  /** USD, from the tokens and the server's configured prices; absent when none are set. */
  cost: z.number().nonnegative().optional(),
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

/**
 * What a revision job revises: the job whose article it starts from, the section rewritten
 * (0-based index into that article's `sections`) and the owner's instruction.
 */
export const RevisionOfSchema = z.object({
  jobId: z.string(),
  section: z.number().int().nonnegative(),
  instruction: z.string(),
})
export type RevisionOf = z.infer<typeof RevisionOfSchema>

/** `GET /api/jobs/{id}`. */
export const JobSchema = z.object({
  id: z.string(),
  topic: z.string(),
  options: JobOptionsSchema,
  status: JobStatusSchema,
  progress: ProgressSchema,
  step: StepSchema.nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Once the job has ended: when the server will forget it (its end plus `JOB_TTL`). */
  expiresAt: z.iso.datetime().optional(),
  /** The outline once it exists: the approved one after a review, else the model's. */
  outline: OutlineSchema.optional(),
  article: ArticleSchema.optional(),
  error: JobErrorSchema.optional(),
  usage: UsageSchema.optional(),
  /** Set on a revision job: the version it rewrites one section of. */
  revisionOf: RevisionOfSchema.optional(),
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
