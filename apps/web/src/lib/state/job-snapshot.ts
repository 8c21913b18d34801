import { ArticleSchema, JobErrorSchema, JobOptionsSchema, JobStatusSchema } from '@inkflow/shared'
import { z } from 'zod/mini'
import type { JobView } from './job-view.js'

const StepStateSchema = z.enum(['pending', 'active', 'done', 'stopped'])

/** A saved view is checked before use: storage outlives deploys and can be edited by hand. */
const JobViewSchema = z.object({
  jobId: z.string(),
  topic: z.string(),
  options: z.nullable(JobOptionsSchema),
  status: JobStatusSchema,
  progress: z.number(),
  steps: z.object({ outline: StepStateSchema, content: StepStateSchema, style: StepStateSchema }),
  activity: z.string(),
  title: z.string(),
  sections: z.array(
    z.object({
      title: z.string(),
      state: z.enum(['pending', 'writing', 'done', 'stopped']),
      text: z.string(),
    }),
  ),
  review: z.nullable(
    z.discriminatedUnion('state', [
      z.object({ state: z.literal('waiting'), expiresAt: z.string() }),
      z.object({ state: z.literal('approved'), edited: z.boolean() }),
    ]),
  ),
  polished: z.string(),
  article: z.nullable(ArticleSchema),
  error: z.nullable(JobErrorSchema),
  cancelReason: z.nullable(z.string()),
  attempt: z.number(),
  lastSeq: z.number().check(z.int(), z.nonnegative()),
})

const key = (jobId: string) => `inkflow:job:${jobId}`

/** Where a job page keeps its view across reloads: one tab's `sessionStorage`. */
export interface JobSnapshots {
  load(jobId: string): JobView | undefined
  save(view: JobView): void
}

/** Snapshots in `storage`; a full or missing storage only costs a longer replay. */
export function createJobSnapshots(storage: Storage | undefined): JobSnapshots {
  return {
    load(jobId) {
      try {
        const raw = storage?.getItem(key(jobId))
        if (!raw) return undefined
        const parsed = JobViewSchema.safeParse(JSON.parse(raw))
        return parsed.success && parsed.data.jobId === jobId ? parsed.data : undefined
      } catch {
        return undefined
      }
    },
    save(view) {
      try {
        storage?.setItem(key(view.jobId), JSON.stringify(view))
      } catch {
        // Quota exceeded or storage disabled: the stream replays from the start instead.
      }
    },
  }
}
