import { z } from 'zod/mini'
import { browserStorage, pageStorage, type StorageLike } from '../api/browser-storage.js'
import type { OutlineDraft } from './outline-draft.js'

/** A saved draft is checked before use: storage outlives deploys and can be edited by hand. */
const DraftSchema = z.object({
  title: z.string(),
  sections: z.array(z.object({ key: z.number(), title: z.string() })),
  nextKey: z.number(),
})

const key = (jobId: string) => `inkflow:outline-draft:${jobId}`

/**
 * The outline edits of jobs waiting for their review, kept in the browser (`localStorage`)
 * until the outline is approved: a reload, a closed tab or a crash does not lose them, and
 * "Try again" after a cancel hands them to the new job.
 */
export interface SavedOutlineDrafts {
  load(jobId: string): OutlineDraft | undefined
  save(jobId: string, draft: OutlineDraft): void
  /** Forgets a job's draft (its outline was approved). */
  remove(jobId: string): void
  /** Hands a job's draft over to another job (a retry of it), if there is one. */
  move(from: string, to: string): void
}

/** Drafts in `storage`; without storage (blocked, full) the edits last as long as the page. */
export function createSavedOutlineDrafts(storage: StorageLike | undefined): SavedOutlineDrafts {
  const kept = browserStorage(storage)
  const load = (jobId: string) => {
    const parsed = DraftSchema.safeParse(kept.readJson(key(jobId)))
    return parsed.success ? parsed.data : undefined
  }
  const save = (jobId: string, draft: OutlineDraft) => kept.write(key(jobId), JSON.stringify(draft))
  const remove = (jobId: string) => kept.remove(key(jobId))
  return {
    load,
    save,
    remove,
    move(from, to) {
      const draft = load(from)
      if (!draft) return
      save(to, draft)
      remove(from)
    },
  }
}

/** This browser's saved drafts, or none where storage is blocked. */
export const browserOutlineDrafts = (): SavedOutlineDrafts =>
  createSavedOutlineDrafts(pageStorage('localStorage'))
