import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { migrate } from './migrations.js'

/**
 * Opens (creating it and its directory when absent) the SQLite file that holds jobs and
 * events, and migrates it to this build's schema. The caller closes it.
 *
 * - WAL: readers never wait for the writer, and a commit is one append to the WAL file.
 * - `synchronous = NORMAL`: with WAL, every commit survives the process dying (`kill -9`, a
 *   crash); only a power loss or OS crash can drop the last commits, never corrupt the file.
 *   `FULL` would fsync on every batch of appends, on the event loop.
 * - `busy_timeout`: a second process (a backup, the `sqlite3` shell) briefly holding the
 *   lock makes us wait instead of failing.
 */
export function openDatabase(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('busy_timeout = 5000')
    migrate(db)
  } catch (err) {
    db.close()
    throw err
  }
  return db
}
