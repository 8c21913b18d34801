import { type JobView, JobViewSchema } from './job-view.js'

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
