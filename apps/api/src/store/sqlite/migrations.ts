import type { Database } from 'better-sqlite3'

/**
 * The schema, one entry per version: entry `n` moves a database from version `n` to `n + 1`
 * (SQLite's `user_version` holds the number applied). Never edit a shipped entry; append one.
 *
 * Jobs keep their whole `JobRecord` as JSON in `record`; the columns beside it exist only to
 * index the queries the stores make (list, recovery, retention).
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    record TEXT NOT NULL
  );
  CREATE INDEX jobs_by_created ON jobs (created_at, id);
  CREATE INDEX jobs_unfinished ON jobs (created_at) WHERE status IN ('queued', 'running');
  CREATE INDEX jobs_finished ON jobs (updated_at)
    WHERE status IN ('completed', 'failed', 'cancelled');

  CREATE TABLE idempotency_keys (
    key TEXT PRIMARY KEY,
    job_id TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    used_at TEXT NOT NULL
  );
  CREATE INDEX idempotency_keys_by_job ON idempotency_keys (job_id);
  CREATE INDEX idempotency_keys_by_use ON idempotency_keys (used_at);

  CREATE TABLE events (
    job_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
  ) WITHOUT ROWID;
  `,
  // Events move to a rowid table: appends of many jobs land side by side at the end of the
  // table instead of at random places in a tree of whole rows (keyed by job id), which made
  // each commit rewrite a page per job. The (job_id, seq) key becomes a unique index.
  `
  CREATE TABLE events_by_append (
    id INTEGER PRIMARY KEY,
    job_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL
  );
  INSERT INTO events_by_append (job_id, seq, type, data)
    SELECT job_id, seq, type, data FROM events ORDER BY job_id, seq;
  DROP TABLE events;
  ALTER TABLE events_by_append RENAME TO events;
  CREATE UNIQUE INDEX events_by_job ON events (job_id, seq);
  `,
  // Checkpoints (the workflow state, which grows with every section) get a table of their
  // own, so a status or progress change does not rewrite them and a checkpoint does not
  // rewrite the job row.
  `
  CREATE TABLE checkpoints (
    job_id TEXT PRIMARY KEY,
    state TEXT NOT NULL
  );
  INSERT INTO checkpoints (job_id, state)
    SELECT id, json_extract(record, '$.checkpoint') FROM jobs
    WHERE json_type(record, '$.checkpoint') IS NOT NULL;
  UPDATE jobs SET record = json_remove(record, '$.checkpoint');
  `,
  // The plain owner token of the job a key created, so that a replay of its POST can hand
  // it out again (the job keeps only its hash). Keys recorded before have none: the first
  // replay of such a key sets it (`sqlite-job-store.ts`).
  `
  ALTER TABLE idempotency_keys ADD COLUMN owner_token TEXT;
  `,
  // Jobs gained options: older rows read as the defaults. Waiting jobs (an outline
  // review) are found by the review expiry; the index keeps that off a scan of every job.
  `
  UPDATE jobs SET record = json_set(record, '$.options',
    json('{"tone":"conversational","length":"medium","audience":"","reviewOutline":false}'))
    WHERE json_type(record, '$.options') IS NULL;
  CREATE INDEX jobs_waiting ON jobs (id) WHERE status = 'waiting';
  `,
  // One row that readiness rewrites to learn whether the file can take a write (a full disk
  // still answers reads).
  `
  CREATE TABLE store_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL, room BLOB);
  `,
  // Jobs and articles gained a language: older rows (all written in English) say so.
  `
  UPDATE jobs SET record = json_set(record, '$.options.language', 'en')
    WHERE json_type(record, '$.options.language') IS NULL;
  UPDATE jobs SET record = json_set(record, '$.article.language', 'en')
    WHERE json_type(record, '$.article') = 'object'
      AND json_type(record, '$.article.language') IS NULL;
  `,
]

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length

/**
 * Brings `db` up to `SCHEMA_VERSION`, each step in its own transaction. Refuses a database
 * written by a newer build rather than guess at a schema it does not know.
 */
export function migrate(db: Database): void {
  const version = () => db.pragma('user_version', { simple: true }) as number
  const found = version()
  if (found > SCHEMA_VERSION) {
    throw new Error(
      `the database has schema version ${found}, newer than this build's ${SCHEMA_VERSION}`,
    )
  }
  for (let next = found; next < SCHEMA_VERSION; next++) {
    // IMMEDIATE takes the write lock first, so two processes starting at once cannot both
    // apply a step; the loser re-reads the version and skips what the winner did.
    db.transaction(() => {
      if (version() !== next) return
      db.exec(MIGRATIONS[next]!)
      db.pragma(`user_version = ${next + 1}`)
    }).immediate()
  }
}
