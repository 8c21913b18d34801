import type { Database } from 'better-sqlite3'
import { isTransientSqliteError } from './sqlite-faults.js'

/** A batch is capped so committing it never holds the event loop for long. */
const MAX_BATCH = 256

export interface WriteQueue {
  /**
   * Runs `write` (synchronous statements) in the next shared transaction, inside a savepoint
   * of its own: if it throws, only its changes are undone and only its promise rejects —
   * unless it is a fault that may pass (`sqlite-faults.ts`): then the whole batch rolls back
   * and every write in it rejects with that fault, for its writer to try again in order.
   * Resolves with what `write` returned once the transaction has committed.
   */
  run<T>(write: () => T): Promise<T>
  /**
   * Commits the queued writes as soon as the current task of the event loop (a timer, a
   * socket read…) and the promises it set going are done, instead of at the end of the turn.
   */
  expedite(): void
  /**
   * Hears the end of every batch, committed or rolled back, before the batch's promises
   * settle: where a writer publishes (or forgets) what it cached during the batch.
   */
  onBatchEnd(hook: (committed: boolean) => void): void
  /** Writes everything queued right now (before the database closes). */
  flushNow(): void
}

interface Pending {
  write: () => unknown
  resolve: (value: never) => void
  reject: (err: unknown) => void
}

/**
 * The one write queue of a database, shared by the job store and the event log on it
 * (`open-sqlite-storage.ts` makes it and hands it to both).
 *
 * Every write made during one turn of the event loop (a job created, its `job.queued`
 * event, checkpoints and token events of fifty running jobs…) goes into one transaction:
 * one commit, one WAL append, instead of one each. Commits are what a busy server spends
 * its SQLite time on; a page touched by several writes is written once.
 *
 * A writer whose write somebody is waiting to hear about can `expedite` the batch: it then
 * commits when the current task is over, before the next one runs. Fifty jobs' timers
 * firing in one turn then each get their event out to their readers in turn, instead of
 * every event waiting for the whole turn's fan-out.
 */
export function createWriteQueue(db: Database): WriteQueue {
  const hooks: ((committed: boolean) => void)[] = []
  let pending: Pending[] = []
  let scheduled: NodeJS.Immediate | undefined
  let expedited = false

  // A transaction function called inside a transaction runs in a SAVEPOINT.
  const inSavepoint = db.transaction((write: () => unknown) => write())
  const writeBatch = db.transaction((batch: Pending[]) =>
    batch.map((item) => {
      try {
        return { ok: true as const, value: inSavepoint(item.write) }
      } catch (error) {
        // A full disk or a busy file fails the whole batch: SQLite may have rolled the
        // transaction back already, and writes after this one may depend on it (the next seq).
        if (isTransientSqliteError(error)) throw error
        return { ok: false as const, error }
      }
    }),
  )

  const writeOne = () => {
    if (pending.length === 0) return
    const batch = pending.slice(0, MAX_BATCH)
    pending = pending.slice(batch.length)
    let outcomes: ReturnType<typeof writeBatch>
    try {
      outcomes = writeBatch.immediate(batch)
    } catch (err) {
      for (const hook of hooks) hook(false)
      for (const item of batch) item.reject(err)
      return
    }
    for (const hook of hooks) hook(true)
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!
      if (outcome.ok) item.resolve(outcome.value as never)
      else item.reject(outcome.error)
    })
  }

  const drain = () => {
    scheduled = undefined
    writeOne()
    // What did not fit waits one turn, after pending I/O has had its chance.
    if (pending.length > 0) scheduled = setImmediate(drain)
  }

  return {
    run<T>(write: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        pending.push({ write, resolve: resolve as (value: never) => void, reject })
        scheduled ??= setImmediate(drain)
      })
    },
    expedite() {
      if (expedited) return
      expedited = true
      // A tick queued from a microtask runs once the microtask queue is empty: after every
      // promise the current task set going, before the next task. What is left for the
      // turn's own drain then (nothing, or what did not fit) it writes as usual.
      queueMicrotask(() =>
        process.nextTick(() => {
          expedited = false
          writeOne()
        }),
      )
    },
    onBatchEnd(hook) {
      hooks.push(hook)
    },
    flushNow() {
      if (scheduled) clearImmediate(scheduled)
      scheduled = undefined
      while (pending.length > 0) writeOne()
    },
  }
}
