/**
 * Saves a job's checkpoints behind its work. A save starts at once, with a copy of the state
 * made by the caller, and runs while the job goes on to its next model call; the job waits
 * only for the save before it (so at most one is in flight, and they land in order) and, at
 * its end, for the last one.
 *
 * Waiting for each save to commit before the next call would cost every job two commits per
 * step — two turns of a loop that fifty jobs share — and buy nothing: a job that dies before
 * its save lands resumes from the save before, and the log still holds what it wrote since
 * (`catch-up-with-log.ts`).
 */
export function createCheckpointWriter<T>(write: (snapshot: T) => Promise<void>) {
  let last: Promise<void> = Promise.resolve()
  return {
    /**
     * Starts saving `snapshot` after the save before it; resolves once that earlier save
     * has landed, and rejects with its error if it failed.
     */
    save(snapshot: T): Promise<void> {
      const previous = last
      last = previous.then(() => write(snapshot))
      last.catch(() => {}) // reported by the next save or by `settled`
      return previous
    },

    /** Waits for every save so far to land. */
    settled(): Promise<void> {
      return last
    },
  }
}

export type CheckpointWriter<T> = ReturnType<typeof createCheckpointWriter<T>>
