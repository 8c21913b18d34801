import { browserStorage, type StorageLike } from '../api/browser-storage.js'
import { type JobView, JobViewSchema } from './job-view.js'

const key = (jobId: string) => `inkflow:job:${jobId}`

/** Where a job page keeps its view across reloads: one tab's `sessionStorage`. */
export interface JobSnapshots {
  load(jobId: string): JobView | undefined
  save(view: JobView): void
}

/** Snapshots in `storage`; a full or missing storage only costs a longer replay from the start. */
export function createJobSnapshots(storage: StorageLike | undefined): JobSnapshots {
  const kept = browserStorage(storage)
  return {
    load(jobId) {
      const parsed = JobViewSchema.safeParse(kept.readJson(key(jobId)))
      return parsed.success && parsed.data.jobId === jobId ? parsed.data : undefined
    },
    save: (view) => kept.write(key(view.jobId), JSON.stringify(view)),
  }
}
