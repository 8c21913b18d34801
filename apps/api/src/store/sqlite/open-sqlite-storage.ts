import { openDatabase } from './open-database.js'
import { createSqliteEventLog } from './sqlite-event-log.js'
import { isTransientSqliteError } from './sqlite-faults.js'
import { createSqliteFinishStore } from './sqlite-finish-store.js'
import { createSqliteJobStore } from './sqlite-job-store.js'
import { createSqliteSpendLedger } from './sqlite-spend-ledger.js'
import { FALLBACK_AUTOCHECKPOINT_PAGES, startWalCheckpointer } from './wal-checkpointer.js'
import { createWriteQueue } from './write-queue.js'

/**
 * Jobs, events and the spend ledger in one SQLite file at `path` (relative to the working
 * directory; its directory is created on first start), all writing through one write queue,
 * and the finish that writes a job's end and its terminal event at once. WAL
 * checkpoints run in a worker thread. Closing commits pending appends, then the file.
 */
export function openSqliteStorage(path: string) {
  const db = openDatabase(path)
  db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`)
  const checkpointer = startWalCheckpointer(path, {
    onError: (message) =>
      process.emitWarning(`WAL checkpoints fail (${message}); the WAL grows until they work`),
  })
  const writes = createWriteQueue(db)
  const jobs = createSqliteJobStore(db, writes)
  const events = createSqliteEventLog(db, writes)
  const finishes = createSqliteFinishStore(jobs, events)
  const spend = createSqliteSpendLedger(db, writes)
  let closed = false
  return {
    jobs,
    events,
    finishes,
    spend,
    kind: 'sqlite' as const,
    isTransient: isTransientSqliteError,
    async close() {
      if (closed) return
      closed = true
      await events.close()
      await jobs.close()
      await checkpointer.stop()
      db.close()
    },
  }
}
