import { z } from 'zod/mini'

import { AUDIENCE_MAX_LENGTH, DEFAULT_JOB_OPTIONS, LANGUAGE_TAG_MAX_LENGTH } from './limits.js'

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
const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled']

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
  audience: z.string().check(z.maxLength(AUDIENCE_MAX_LENGTH)),
  /**
   * The article's language, a canonical BCP 47 tag (`en`, `fr`, `pt-BR`); absent in records
   * written before it existed, read as `en`.
   */
  language: z._default(
    z.string().check(z.maxLength(LANGUAGE_TAG_MAX_LENGTH)),
    DEFAULT_JOB_OPTIONS.language,
  ),
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
  language: z._default(z.string(), DEFAULT_JOB_OPTIONS.language),
})
export type Article = z.infer<typeof ArticleSchema>

/** A whole number ≥ 0: a count or an index. */
export const count = () => z.number().check(z.int(), z.nonnegative())

/** A whole number ≥ 1: a `seq` or an attempt. */
export const ordinal = () => z.number().check(z.int(), z.positive())

/**
 * LLM tokens paid for by a job, summed over all its calls (failed and cut ones included).
 * `estimated`: some call's server reported no usage, so its tokens were counted on our side
 * (≈ 4 characters a token); absent in records written before it existed, read as `false`.
 */
export const UsageSchema = z.object({
  promptTokens: count(),
  completionTokens: count(),
  totalTokens: count(),
  estimated: z._default(z.boolean(), false),
  /** USD, from the tokens and the server's configured prices; absent when none are set. */
  cost: z.optional(z.number().check(z.nonnegative())),
})
export type Usage = z.infer<typeof UsageSchema>

/** Why a job failed; `code` is stable and machine-readable, `message` is for people. */
export const JobErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
})
export type JobError = z.infer<typeof JobErrorSchema>

export const ProgressSchema = z.number().check(z.minimum(0), z.maximum(100))

/**
 * What a revision job revises: the job whose article it starts from, the section rewritten
 * (0-based index into that article's `sections`) and the owner's instruction.
 */
export const RevisionOfSchema = z.object({
  jobId: z.string(),
  section: count(),
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
  step: z.nullable(StepSchema),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Once the job has ended: when the server will forget it (its end plus `JOB_TTL`). */
  expiresAt: z.optional(z.iso.datetime()),
  /** The outline once it exists: the approved one after a review, else the model's. */
  outline: z.optional(OutlineSchema),
  article: z.optional(ArticleSchema),
  error: z.optional(JobErrorSchema),
  usage: z.optional(UsageSchema),
  /** Set on a revision job: the version it rewrites one section of. */
  revisionOf: z.optional(RevisionOfSchema),
})
export type Job = z.infer<typeof JobSchema>

/** One row of `GET /api/jobs`. */
export const JobSummarySchema = z.pick(JobSchema, {
  id: true,
  topic: true,
  status: true,
  progress: true,
  step: true,
  createdAt: true,
  updatedAt: true,
})
export type JobSummary = z.infer<typeof JobSummarySchema>
