import type Database from 'better-sqlite3'
import {
  ATTRIBUTION_KEEP_DAYS,
  SPEND_KEEP_DAYS,
  type SpendLedger,
  utcDay,
} from '../../jobs/spend-ledger.js'
import { openDatabase } from './open-database.js'

const DAY_MS = 86_400_000

/**
 * The spend ledger in the SQLite file of jobs and events, on a connection of its own: one
 * small write per model call, outside the event log's write queue (WAL lets both write;
 * `busy_timeout` covers the moment one waits for the other). Its two tables are created
 * here when absent, as they belong to no other adapter.
 */
export function openSqliteSpendLedger(path: string): SpendLedger {
  const db: Database.Database = openDatabase(path)
  db.exec(`
    CREATE TABLE IF NOT EXISTS spend_attribution (
      job_id TEXT PRIMARY KEY,
      client TEXT NOT NULL,
      day TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS spend_attribution_day ON spend_attribution (day);
    CREATE TABLE IF NOT EXISTS spend_daily (
      client TEXT NOT NULL,
      day TEXT NOT NULL,
      tokens INTEGER NOT NULL,
      PRIMARY KEY (client, day)
    );
  `)
  const attribute = db.prepare(
    'INSERT OR IGNORE INTO spend_attribution (job_id, client, day) VALUES (?, ?, ?)',
  )
  const clientOf = db.prepare<[string], { client: string }>(
    'SELECT client FROM spend_attribution WHERE job_id = ?',
  )
  const add = db.prepare(
    `INSERT INTO spend_daily (client, day, tokens) VALUES (?, ?, ?)
     ON CONFLICT (client, day) DO UPDATE SET tokens = tokens + excluded.tokens`,
  )
  const spent = db.prepare<[string, string], { tokens: number }>(
    'SELECT tokens FROM spend_daily WHERE client = ? AND day = ?',
  )
  const forgetDays = db.prepare('DELETE FROM spend_daily WHERE day < ?')
  const forgetJobs = db.prepare('DELETE FROM spend_attribution WHERE day < ?')
  // Old rows go once a day, with the first write of the day.
  let prunedFor = ''
  const prune = (at: Date) => {
    const today = utcDay(at)
    if (prunedFor === today) return
    prunedFor = today
    forgetDays.run(utcDay(new Date(at.getTime() - SPEND_KEEP_DAYS * DAY_MS)))
    forgetJobs.run(utcDay(new Date(at.getTime() - ATTRIBUTION_KEEP_DAYS * DAY_MS)))
  }
  return {
    async attribute(jobId, client) {
      const at = new Date()
      prune(at)
      attribute.run(jobId, client, utcDay(at))
    },
    async add(jobId, tokens, at = new Date()) {
      if (tokens <= 0) return
      const row = clientOf.get(jobId)
      if (!row) return
      add.run(row.client, utcDay(at), tokens)
    },
    async spent(client, at = new Date()) {
      return spent.get(client, utcDay(at))?.tokens ?? 0
    },
    async spentByClientOf(jobId, at = new Date()) {
      const row = clientOf.get(jobId)
      return row ? (spent.get(row.client, utcDay(at))?.tokens ?? 0) : 0
    },
    async close() {
      if (db.open) db.close()
    },
  }
}
