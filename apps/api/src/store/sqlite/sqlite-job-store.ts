import type { Database } from 'better-sqlite3'
import {
  type CreateJobInput,
  type CreateJobResult,
  decodeCursor,
  encodeCursor,
  IdempotencyConflictError,
  JobFencedError,
  JobNotFoundError,
  type JobPage,
  type JobPatch,
  type JobRecord,
  type JobStore,
  type JobUpdateOptions,
  newJobRecord,
  passesFence,
  withDefaultOptions,
} from '../../jobs/job-store.js'
import type { WriteQueue } from './write-queue.js'

interface KeyRow {
  job_id: string
  fingerprint: string
  /** Null for a key recorded before owner tokens (schema version 4). */
  owner_token: string | null
}

/**
 * Records are JSON this adapter wrote from a typed `JobRecord`, in a file only it writes, so
 * they are trusted as they are read back rather than parsed again on every request. (Rows
 * from before options got them in a migration; the default covers a row written meanwhile
 * by an older build.)
 */
const toRecord = (json: string): JobRecord => withDefaultOptions(JSON.parse(json) as JobRecord)

/** The SQLite job store, with the update its `FinishStore` runs in one savepoint with an append. */
export interface SqliteJobStore extends JobStore {
  /** `create`'s statements, for a write already running on the queue (`WriteQueue.run`). */
  createInWrite(input: CreateJobInput): CreateJobResult
  /** `update`'s statements, for a write already running on the queue (`WriteQueue.run`). */
  updateInWrite(id: string, patch: JobPatch, options?: JobUpdateOptions): JobRecord
}

/**
 * `JobStore` on SQLite. Each write runs whole (a savepoint) in the database's shared
 * per-turn transaction (`write-queue.ts`), so the store is consistent however calls
 * interleave, and every write is committed when its promise resolves. Reads see what has
 * committed. The database is the caller's: `close` commits pending writes and leaves it open.
 */
export function createSqliteJobStore(db: Database, queue: WriteQueue): SqliteJobStore {
  const selectJob = db.prepare<[string], string>('SELECT record FROM jobs WHERE id = ?').pluck()
  const insertJob = db.prepare<[string, string, string, string, string]>(
    'INSERT INTO jobs (id, status, created_at, updated_at, record) VALUES (?, ?, ?, ?, ?)',
  )
  const updateJob = db.prepare<[string, string, string, string]>(
    'UPDATE jobs SET status = ?, updated_at = ?, record = ? WHERE id = ?',
  )
  const selectKey = db.prepare<[string], KeyRow>(
    'SELECT job_id, fingerprint, owner_token FROM idempotency_keys WHERE key = ?',
  )
  // REPLACE: a key whose job was removed may be taken by a new job.
  const putKey = db.prepare<[string, string, string, string, string]>(
    'INSERT OR REPLACE INTO idempotency_keys (key, job_id, fingerprint, owner_token, used_at) VALUES (?, ?, ?, ?, ?)',
  )
  const setKeyOwnerToken = db.prepare<[string, string]>(
    'UPDATE idempotency_keys SET owner_token = ? WHERE key = ?',
  )
  const setJobRecord = db.prepare<[string, string]>('UPDATE jobs SET record = ? WHERE id = ?')
  const listFirst = db
    .prepare<[number], string>('SELECT record FROM jobs ORDER BY created_at DESC, id DESC LIMIT ?')
    .pluck()
  const listAfter = db
    .prepare<[string, string, number], string>(
      'SELECT record FROM jobs WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?',
    )
    .pluck()
  // rowid is insertion order: jobs created in the same millisecond resume as they were queued.
  const listUnfinished = db
    .prepare<[], string>(
      "SELECT record FROM jobs WHERE status IN ('queued', 'running') ORDER BY created_at, rowid",
    )
    .pluck()
  const listWaiting = db
    .prepare<[], string>("SELECT record FROM jobs WHERE status = 'waiting'")
    .pluck()
  const countWaiting = db
    .prepare<[], number>("SELECT count(*) FROM jobs WHERE status = 'waiting'")
    .pluck()
  const selectExpired = db
    .prepare<[string, number], string>(
      "SELECT id FROM jobs WHERE status IN ('completed', 'failed', 'cancelled') AND updated_at < ? ORDER BY updated_at LIMIT ?",
    )
    .pluck()
  const deleteJob = db.prepare<[string]>('DELETE FROM jobs WHERE id = ?')
  const deleteKeysOf = db.prepare<[string]>('DELETE FROM idempotency_keys WHERE job_id = ?')
  const expireKeys = db.prepare<[string]>('DELETE FROM idempotency_keys WHERE used_at < ?')
  // A few pages rewritten: room for more than the smallest write, not merely a free WAL frame.
  const probe = db.prepare<[string]>(
    'INSERT OR REPLACE INTO store_probe (id, at, room) VALUES (1, ?, zeroblob(16384))',
  )

  const selectCheckpoint = db
    .prepare<[string], string>('SELECT state FROM checkpoints WHERE job_id = ?')
    .pluck()
  // An upsert rewrites the row in place; REPLACE deleted it (freeing its overflow pages)
  // and inserted it anew.
  const putCheckpoint = db.prepare<[string, string]>(
    'INSERT INTO checkpoints (job_id, state) VALUES (?, ?) ON CONFLICT (job_id) DO UPDATE SET state = excluded.state',
  )
  const deleteCheckpoint = db.prepare<[string]>('DELETE FROM checkpoints WHERE job_id = ?')

  /** The record with `checkpoint`, when it has one. */
  const withState = (job: JobRecord, checkpoint: string | undefined): JobRecord =>
    checkpoint === undefined ? job : { ...job, checkpoint }

  /** A job row's record with its checkpoint, when it has one. */
  const withCheckpoint = (job: JobRecord): JobRecord => withState(job, selectCheckpoint.get(job.id))

  const create = (input: CreateJobInput): CreateJobResult => {
    const { idempotency } = input
    if (idempotency) {
      const seen = selectKey.get(idempotency.key)
      if (seen && seen.fingerprint !== idempotency.fingerprint) {
        throw new IdempotencyConflictError(idempotency.key)
      }
      const existing = seen && selectJob.get(seen.job_id)
      if (seen && existing) {
        let job = toRecord(existing)
        let ownerToken = seen.owner_token
        if (ownerToken === null) {
          // A key from before owner tokens: this replay's token becomes the job's.
          ownerToken = idempotency.ownerToken
          setKeyOwnerToken.run(ownerToken, idempotency.key)
          if (job.ownerTokenHash === undefined && input.ownerTokenHash !== undefined) {
            job = { ...job, ownerTokenHash: input.ownerTokenHash }
            setJobRecord.run(JSON.stringify(job), job.id)
          }
        }
        return { job: withCheckpoint(job), created: false, ownerToken }
      }
    }
    const job = newJobRecord(input)
    insertJob.run(job.id, job.status, job.createdAt, job.updatedAt, JSON.stringify(job))
    if (idempotency) {
      const { key, fingerprint, ownerToken } = idempotency
      putKey.run(key, job.id, fingerprint, ownerToken, job.createdAt)
    }
    return { job, created: true }
  }

  const update = (id: string, patch: JobPatch, options: JobUpdateOptions = {}): JobRecord => {
    const stored = selectJob.get(id)
    if (stored === undefined) throw new JobNotFoundError(id)
    const current = toRecord(stored)
    if (!passesFence(current, options)) {
      throw new JobFencedError(id, options.attempt ?? current.attempt)
    }
    const { checkpoint, ...fields } = patch
    const next: JobRecord = { ...current, ...fields, updatedAt: new Date().toISOString() }
    const json = JSON.stringify(next)
    updateJob.run(next.status, next.updatedAt, json, id)
    if (!('checkpoint' in patch)) return withCheckpoint(next)
    if (checkpoint === undefined) deleteCheckpoint.run(id)
    else putCheckpoint.run(id, checkpoint)
    return withState(next, checkpoint)
  }

  const removeFinished = (updatedBefore: string, limit: number): string[] => {
    const ids = selectExpired.all(updatedBefore, limit)
    for (const id of ids) {
      deleteKeysOf.run(id)
      deleteCheckpoint.run(id)
      deleteJob.run(id)
    }
    return ids
  }

  return {
    async create(input) {
      return queue.run(() => create(input))
    },

    async get(id) {
      const stored = selectJob.get(id)
      return stored === undefined ? undefined : withCheckpoint(toRecord(stored))
    },

    async list({ limit, cursor }): Promise<JobPage> {
      const after = cursor === undefined ? undefined : decodeCursor(cursor)
      // One row more than asked tells whether another page follows.
      const rows = after
        ? listAfter.all(after.createdAt, after.id, limit + 1)
        : listFirst.all(limit + 1)
      const items = rows.slice(0, limit).map(toRecord)
      const last = items.at(-1)
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null }
    },

    async listUnfinished() {
      return listUnfinished.all().map((json) => withCheckpoint(toRecord(json)))
    },

    async listWaiting() {
      return listWaiting.all().map((json) => withCheckpoint(toRecord(json)))
    },

    async countWaiting() {
      return countWaiting.get() ?? 0
    },

    async update(id, patch, options) {
      return queue.run(() => update(id, patch, options))
    },

    updateInWrite: update,
    createInWrite: create,

    async removeFinished(updatedBefore, limit) {
      return queue.run(() => removeFinished(updatedBefore, limit))
    },

    async expireIdempotencyKeys(usedBefore) {
      return queue.run(() => expireKeys.run(usedBefore).changes)
    },

    async ping() {
      await queue.run(() => probe.run(new Date().toISOString()))
    },

    async close() {
      queue.flushNow()
    },
  }
}
