import {
  ArticleSchema,
  JobErrorSchema,
  JobOptionsSchema,
  JobStatusSchema,
  RevisionOfSchema,
  UsageSchema,
} from '@inkflow/shared/mini'
import { z } from 'zod/mini'
import type { JobView } from './job-view.js'

const StepStateSchema = z.enum(['pending', 'active', 'done', 'stopped'])
const SectionStateSchema = z.enum(['pending', 'writing', 'done', 'stopped'])

/** A saved view is checked before use: storage outlives deploys and can be edited by hand. */
const JobViewSchema = z.object({
  jobId: z.string(),
  topic: z.string(),
  options: z.nullable(JobOptionsSchema),
  revisionOf: z.nullable(RevisionOfSchema),
  revision: z.nullable(
    z.object({ index: z.number(), title: z.string(), state: SectionStateSchema, text: z.string() }),
  ),
  status: JobStatusSchema,
  progress: z.number(),
  steps: z.object({
    outline: StepStateSchema,
    content: StepStateSchema,
    style: StepStateSchema,
    revise: StepStateSchema,
  }),
  activity: z.string(),
  title: z.string(),
  sections: z.array(
    z.object({
      title: z.string(),
      state: SectionStateSchema,
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
  usage: z.nullable(UsageSchema),
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
