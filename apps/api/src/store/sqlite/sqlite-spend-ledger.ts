import type { Database } from 'better-sqlite3'
import {
  ATTRIBUTION_KEEP_DAYS,
  SPEND_KEEP_DAYS,
  type SpendLedger,
  utcDay,
} from '../../jobs/spend-ledger.js'
import type { WriteQueue } from './write-queue.js'

const DAY_MS = 86_400_000

/**
 * The spend ledger in the SQLite file of jobs and events, on their connection: its writes go
 * through the shared write queue, so a new job's attribution commits in the same transaction
 * as the job and its `job.queued` event, and a model call's spend with that turn's events.
 * (On a connection of its own, each attribution would be a commit of its own: 16 % of the
 * server's CPU under a burst of submissions, profiled.) Its two tables are
 * created here when absent, as they belong to no other adapter.
 */
export function createSqliteSpendLedger(db: Database, writes: WriteQueue): SpendLedger {
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
      await writes.run(() => {
        prune(at)
        attribute.run(jobId, client, utcDay(at))
      })
    },
    async add(jobId, tokens, at = new Date()) {
      if (tokens <= 0) return
      await writes.run(() => {
        const row = clientOf.get(jobId)
        if (row) add.run(row.client, utcDay(at), tokens)
      })
    },
    async spent(client, at = new Date()) {
      return spent.get(client, utcDay(at))?.tokens ?? 0
    },
    async spentByClientOf(jobId, at = new Date()) {
      const row = clientOf.get(jobId)
      return row ? (spent.get(row.client, utcDay(at))?.tokens ?? 0) : 0
    },
  }
}
