/** What the writer decided for one item of a batch. */
export type BatchOutcome<O> = { ok: true; value: O } | { ok: false; error: unknown }

export interface AppendBatcherOptions<I, O> {
  /**
   * Writes a batch synchronously (one transaction) and returns one outcome per item, in
   * order. Throwing fails every item of the batch with that error.
   */
  write: (items: I[]) => BatchOutcome<O>[]
  /** Most items written at once; the rest wait one turn of the event loop. Default 256. */
  maxBatch?: number
}

/**
 * Gathers the items pushed during one turn of the event loop and writes them together, so a
 * burst of appends (token events of many jobs, say) costs one commit instead of one each.
 * Batches are capped so that writing one never holds the event loop for long: what is left
 * over goes in the next turn, after pending I/O has had its chance.
 */
export function createAppendBatcher<I, O>(options: AppendBatcherOptions<I, O>) {
  const maxBatch = options.maxBatch ?? 256
  let pending: { item: I; resolve: (value: O) => void; reject: (err: unknown) => void }[] = []
  let scheduled: NodeJS.Immediate | undefined

  const writeOne = () => {
    const batch = pending.slice(0, maxBatch)
    pending = pending.slice(batch.length)
    let outcomes: BatchOutcome<O>[]
    try {
      outcomes = options.write(batch.map((p) => p.item))
    } catch (err) {
      for (const p of batch) p.reject(err)
      return
    }
    batch.forEach((p, i) => {
      const outcome = outcomes[i]
      if (outcome?.ok) p.resolve(outcome.value)
      else p.reject(outcome ? outcome.error : new Error('the batch writer skipped an item'))
    })
  }

  const drain = () => {
    scheduled = undefined
    writeOne()
    if (pending.length > 0) scheduled = setImmediate(drain)
  }

  return {
    /** Queues an item for the next batch; resolves once it is written. */
    push(item: I): Promise<O> {
      return new Promise<O>((resolve, reject) => {
        pending.push({ item, resolve, reject })
        scheduled ??= setImmediate(drain)
      })
    },

    /** Writes everything queued right now (before the database closes). */
    flushNow(): void {
      if (scheduled) clearImmediate(scheduled)
      scheduled = undefined
      while (pending.length > 0) writeOne()
    },
  }
}
