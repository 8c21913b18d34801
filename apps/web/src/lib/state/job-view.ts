import {
  ArticleSchema,
  JobErrorSchema,
  JobOptionsSchema,
  JobStatusSchema,
  RevisionOfSchema,
  type Step,
  UsageSchema,
} from '@inkflow/shared'
import { z } from 'zod/mini'

/** `stopped`: the step was under way when the job was cancelled or failed. */
const StepStateSchema = z.enum(['pending', 'active', 'done', 'stopped'])
export type StepState = z.infer<typeof StepStateSchema>
/** `stopped`: the section was being written when the job was cancelled or failed. */
const SectionStateSchema = z.enum(['pending', 'writing', 'done', 'stopped'])

/**
 * Everything the job page shows, folded from the job's events. Plain JSON, so it can be
 * saved to `sessionStorage` whole, together with the seq it reflects; a saved view is parsed
 * with this schema before use, since storage outlives deploys and can be edited by hand.
 */
export const JobViewSchema = z.object({
  jobId: z.string(),
  topic: z.string(),
  /** The options the job was started with, once `job.queued` is seen. */
  options: z.nullable(JobOptionsSchema),
  /** For a revision job: the version it revises, the section and the instruction. */
  revisionOf: z.nullable(RevisionOfSchema),
  /** For a revision job: the section being rewritten (its index, title, state and text). */
  revision: z.nullable(
    z.object({ index: z.number(), title: z.string(), state: SectionStateSchema, text: z.string() }),
  ),
  status: JobStatusSchema,
  /** 0–100, never lower than before. */
  progress: z.number(),
  steps: z.object({
    outline: StepStateSchema,
    content: StepStateSchema,
    style: StepStateSchema,
    revise: StepStateSchema,
  }),
  /** What is happening now, in words. */
  activity: z.string(),
  /** The outline's title, once known: the proposal, then the approved outline. */
  title: z.string(),
  sections: z.array(
    z.object({
      title: z.string(),
      state: SectionStateSchema,
      /** The section's text as its tokens arrived. */
      text: z.string(),
    }),
  ),
  /**
   * The outline review, for a job started with `reviewOutline`; null otherwise: waiting for
   * the person (until `expiresAt`), then approved (`edited` when the approved outline
   * differs from the proposal).
   */
  review: z.nullable(
    z.discriminatedUnion('state', [
      z.object({ state: z.literal('waiting'), expiresAt: z.string() }),
      z.object({ state: z.literal('approved'), edited: z.boolean() }),
    ]),
  ),
  /** The style step's text as its tokens arrive. */
  polished: z.string(),
  article: z.nullable(ArticleSchema),
  /** The tokens the job used, from `job.completed`. */
  usage: z.nullable(UsageSchema),
  error: z.nullable(JobErrorSchema),
  /** Why the job was cancelled, when the server said (`outline review expired`). */
  cancelReason: z.nullable(z.string()),
  /** The run attempt (above 1 after a resume). */
  attempt: z.number(),
  /** The last event applied. */
  lastSeq: z.number().check(z.int(), z.nonnegative()),
})
export type JobView = z.infer<typeof JobViewSchema>
export type SectionView = JobView['sections'][number]

/** The steps of a new article, in order; a revision job has the one step `revise`. */
export const STEPS: readonly Step[] = ['outline', 'content', 'style']

/** The view of a job before any of its events. */
export function emptyJobView(jobId: string): JobView {
  return {
    jobId,
    topic: '',
    options: null,
    revisionOf: null,
    revision: null,
    status: 'queued',
    progress: 0,
    steps: { outline: 'pending', content: 'pending', style: 'pending', revise: 'pending' },
    activity: 'Connecting…',
    title: '',
    sections: [],
    review: null,
    polished: '',
    article: null,
    usage: null,
    error: null,
    cancelReason: null,
    attempt: 1,
    lastSeq: 0,
  }
}
