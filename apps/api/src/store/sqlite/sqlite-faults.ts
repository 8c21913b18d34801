/**
 * SQLite's result codes for faults that pass by themselves: another connection holding the
 * lock (`SQLITE_BUSY`, `SQLITE_LOCKED`), a full disk or quota (`SQLITE_FULL`), an I/O error
 * (`SQLITE_IOERR_*`, e.g. a write refused for want of space), memory running short.
 * better-sqlite3 puts the extended code on its `SqliteError`.
 */
const TRANSIENT = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|NOMEM|PROTOCOL)(_|$)/

/** Whether `err` is a SQLite fault a writer may wait out (the write can simply be tried again). */
export function isTransientSqliteError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const { code } = err as { code?: unknown }
  return typeof code === 'string' && TRANSIENT.test(code)
}
