import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/store/sqlite/open-database.js'
import { openSqliteStorage } from '../../src/store/sqlite/open-sqlite-storage.js'
import { createSqliteEventLog } from '../../src/store/sqlite/sqlite-event-log.js'
import { createSqliteJobStore } from '../../src/store/sqlite/sqlite-job-store.js'
import { createWriteQueue } from '../../src/store/sqlite/write-queue.js'
import { queuedEvent, tokenEvent } from '../helpers/log-events.js'
import { waitUntil } from '../helpers/test-server.js'

const dir = mkdtempSync(join(tmpdir(), 'inkflow-write-queue-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The number of write transactions committed to the file, as a second connection sees it. */
const dataVersion = (reader: Database.Database) =>
  reader.pragma('data_version', { simple: true }) as number

describe('perf-guard: the shared SQLite write queue', () => {
  it('commits the writes of one turn, from both stores, in one transaction', async () => {
    const path = join(dir, 'one-turn.db')
    const db = openDatabase(path)
    const writes = createWriteQueue(db)
    const reader = new Database(path, { readonly: true })
    const jobs = createSqliteJobStore(db, writes)
    const events = createSqliteEventLog(db, writes)
    const before = dataVersion(reader)
    const createdAt = new Date().toISOString()
    const calls = Array.from({ length: 20 }, (_, i) => [
      jobs.create({ id: `job-${i}`, topic: `topic ${i}`, createdAt }),
      events.append(queuedEvent(`job-${i}`, createdAt, 't')),
    ])
    await Promise.all(calls.flat())
    // Another connection sees `data_version` move once per commit by someone else.
    expect(dataVersion(reader) - before).toBe(1)
    expect(reader.prepare('SELECT count(*) FROM jobs').pluck().get()).toBe(20)
    expect(reader.prepare('SELECT count(*) FROM events').pluck().get()).toBe(20)
    reader.close()
    db.close()
  })

  it('undoes only the write that throws; the rest of its batch commits', async () => {
    const path = join(dir, 'savepoint.db')
    const db = openDatabase(path)
    const queue = createWriteQueue(db)
    const insert = db.prepare(
      'INSERT INTO idempotency_keys (key, job_id, fingerprint, used_at) VALUES (?, ?, ?, ?)',
    )
    const results = await Promise.allSettled([
      queue.run(() => insert.run('a', 'job-a', 'f', 'now').changes),
      queue.run(() => {
        insert.run('b', 'job-b', 'f', 'now') // written, then undone with its savepoint
        insert.run('a', 'job-a', 'f', 'now') // duplicate key: throws
      }),
      queue.run(() => insert.run('c', 'job-c', 'f', 'now').changes),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(db.prepare('SELECT key FROM idempotency_keys ORDER BY key').pluck().all()).toEqual([
      'a',
      'c',
    ])
    db.close()
  })

  it('tells subscribers of an append only after it has committed', async () => {
    const db = openDatabase(join(dir, 'notify.db'))
    const writes = createWriteQueue(db)
    const events = createSqliteEventLog(db, writes)
    const committedWhenHeard: number[] = []
    const count = db.prepare('SELECT count(*) FROM events').pluck()
    events.subscribe('job-1', () => committedWhenHeard.push(count.get() as number))
    const ts = new Date().toISOString()
    await Promise.all([
      events.append(queuedEvent('job-1', ts, 't')),
      events.append({ type: 'job.started', jobId: 'job-1', ts, progress: 0, attempt: 1 }),
    ])
    expect(committedWhenHeard).toEqual([2, 2])
    db.close()
  })

  /**
   * Two tasks of one turn (two immediates queued together): the first appends an event, the
   * second looks at what its subscribers have heard. The queue's own drain is an immediate
   * queued during the first, so it runs on the next turn, after both.
   */
  const heardByTheNextTask = async (file: string, subscribers: number) => {
    const path = join(dir, file)
    const db = openDatabase(path)
    const reader = new Database(path, { readonly: true })
    const committed = () => reader.prepare('SELECT count(*) FROM events').pluck().get() as number
    const writes = createWriteQueue(db)
    const events = createSqliteEventLog(db, writes)
    const heard: number[] = []
    for (let i = 0; i < subscribers; i++) events.subscribe('job-1', (e) => heard.push(e.seq))
    const ts = new Date().toISOString()
    let appended: Promise<unknown> = Promise.resolve()
    const seenByNextTask = await new Promise<{ heard: number; committed: number }>((resolve) => {
      setImmediate(() => {
        appended = events.append(queuedEvent('job-1', ts, 't'))
      })
      setImmediate(() => resolve({ heard: heard.length, committed: committed() }))
    })
    await appended
    expect(heard).toHaveLength(subscribers)
    reader.close()
    db.close()
    return seenByNextTask
  }

  it('commits an event somebody follows before the next task runs', async () => {
    expect(await heardByTheNextTask('expedited.db', 1)).toEqual({ heard: 1, committed: 1 })
  })

  it("lets an event nobody follows wait for the turn's shared commit", async () => {
    expect(await heardByTheNextTask('turn.db', 0)).toEqual({ heard: 0, committed: 0 })
  })
})

describe('the WAL checkpointer', () => {
  it('copies committed pages into the database file from its worker, and leaves no WAL on close', async () => {
    const path = join(dir, 'checkpointed.db')
    const storage = openSqliteStorage(path)
    const before = statSync(path).size
    const text = 'x'.repeat(4000)
    for (let seq = 0; seq < 200; seq++) await storage.events.append(tokenEvent('j', text))
    // The writer only checkpoints by itself past FALLBACK_AUTOCHECKPOINT_PAGES (far above
    // these ~200 pages): the database file grows only when the worker copies pages in.
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(800_000)
    await waitUntil(() => statSync(path).size > before + 800_000)
    await storage.close()
    expect(existsSync(`${path}-wal`)).toBe(false)
    const reopened = openSqliteStorage(path)
    expect(await reopened.events.read('j', 195)).toHaveLength(5)
    await reopened.close()
  })
})
