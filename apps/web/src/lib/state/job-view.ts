import {
  ArticleSchema,
  JobErrorSchema,
  JobOptionsSchema,
  JobStatusSchema,
  type Step,
} from '@inkflow/shared'
import { z } from 'zod/mini'

/** `stopped`: the step was under way when the job was cancelled or failed. */
const StepStateSchema = z.enum(['pending', 'active', 'done', 'stopped'])
export type StepState = z.infer<typeof StepStateSchema>

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
  status: JobStatusSchema,
  /** 0–100, never lower than before. */
  progress: z.number(),
  steps: z.object({ outline: StepStateSchema, content: StepStateSchema, style: StepStateSchema }),
  /** What is happening now, in words. */
  activity: z.string(),
  /** The outline's title, once known: the proposal, then the approved outline. */
  title: z.string(),
  sections: z.array(
    z.object({
      title: z.string(),
      /** `stopped`: the section was being written when the job was cancelled or failed. */
      state: z.enum(['pending', 'writing', 'done', 'stopped']),
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

/** The steps of a new article; a revision job's one step (`revise`) has no place among them. */
export type ArticleStep = Exclude<Step, 'revise'>

export const STEPS: readonly ArticleStep[] = ['outline', 'content', 'style']

/** The view of a job before any of its events. */
export function emptyJobView(jobId: string): JobView {
  return {
    jobId,
    topic: '',
    options: null,
    status: 'queued',
    progress: 0,
    steps: { outline: 'pending', content: 'pending', style: 'pending' },
    activity: 'Connecting…',
    title: '',
    sections: [],
    review: null,
    polished: '',
    article: null,
    error: null,
    cancelReason: null,
    attempt: 1,
    lastSeq: 0,
  }
}
