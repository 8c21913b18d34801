import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_JOB_OPTIONS } from '@inkflow/shared'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { EventLogClosedError } from '../../src/events/event-log.js'
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/sqlite/migrations.js'
import { openDatabase } from '../../src/store/sqlite/open-database.js'
import { createSqliteEventLog } from '../../src/store/sqlite/sqlite-event-log.js'
import { createSqliteJobStore } from '../../src/store/sqlite/sqlite-job-store.js'
import { createWriteQueue } from '../../src/store/sqlite/write-queue.js'
import { tokenEvent as token, eventTs as ts } from '../helpers/log-events.js'

const dir = mkdtempSync(join(tmpdir(), 'inkflow-sqlite-reopen-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A database file as a build of schema `version` left it, open for writing rows by hand. */
function fileAtVersion(name: string, version: number) {
  const path = join(dir, name)
  const raw = new Database(path)
  for (const step of MIGRATIONS.slice(0, version)) raw.exec(step)
  raw.pragma(`user_version = ${version}`)
  return { path, raw }
}

/** A job row as the versions before 5 wrote it: its whole record, `extra` fields too, as JSON. */
function insertJob(
  raw: Database.Database,
  record: { id: string; status: string },
  extra: Record<string, unknown>,
) {
  raw
    .prepare('INSERT INTO jobs (id, status, created_at, updated_at, record) VALUES (?, ?, ?, ?, ?)')
    .run(
      record.id,
      record.status,
      ts,
      ts,
      JSON.stringify({ ...record, createdAt: ts, updatedAt: ts, ...extra }),
    )
}

describe('the sqlite store across a reopen', () => {
  it('creates the data directory, uses WAL and records the schema version', () => {
    const path = join(dir, 'nested', 'deeper', 'inkflow.db')
    const db = openDatabase(path)
    expect(existsSync(path)).toBe(true)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    db.close()
  })

  it('migrates a version 1 file (keyed event rows, checkpoints inside job rows), losing nothing', async () => {
    const { path, raw } = fileAtVersion('version-1.db', 1)
    const insert = raw.prepare('INSERT INTO events (job_id, seq, type, data) VALUES (?, ?, ?, ?)')
    for (const [jobId, seq] of [
      ['b', 1],
      ['a', 1],
      ['b', 2],
      ['a', 2],
    ] as const) {
      insert.run(jobId, seq, 'token', JSON.stringify({ ...token(jobId, `${jobId}${seq}`), seq }))
    }
    const checkpoint = { topic: 'tea', sections: [{ title: 'One', content: 'text' }] }
    const record = { id: 'a', topic: 'tea', status: 'running', progress: 40, step: 'content' }
    insertJob(raw, record, { attempt: 1, checkpoint })
    raw.close()

    const db = openDatabase(path)
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    // The checkpoint moved out of the job row and still comes back with the job (as JSON).
    expect(await createSqliteJobStore(db, createWriteQueue(db)).get('a')).toMatchObject({
      ...record,
      checkpoint: JSON.stringify(checkpoint),
    })
    expect(
      db.prepare("SELECT json_type(record, '$.checkpoint') FROM jobs").pluck().get(),
    ).toBeNull()
    const events = createSqliteEventLog(db, createWriteQueue(db))
    expect((await events.read('a', 0)).map((e) => e.type === 'token' && e.text)).toEqual([
      'a1',
      'a2',
    ])
    // Appends go on from the migrated tail, and the (job, seq) key still refuses a repeat.
    expect((await events.append(token('b', 'b3'))).seq).toBe(3)
    expect(() =>
      db
        .prepare('INSERT INTO events (job_id, seq, type, data) VALUES (?, ?, ?, ?)')
        .run('b', 3, 't', '{}'),
    ).toThrow(/UNIQUE/)
    db.close()
  })

  it('migrates a version 4 file: jobs from before options read as the defaults, in the file too', async () => {
    const { path, raw } = fileAtVersion('version-4.db', 4)
    const record = { id: 'old', topic: 'tea', status: 'queued', progress: 0, step: null }
    insertJob(raw, record, { attempt: 0 })
    raw.close()

    const db = openDatabase(path)
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    const stored = db.prepare<[], string>("SELECT record FROM jobs WHERE id = 'old'").pluck().get()
    expect(JSON.parse(stored ?? '{}').options).toEqual(DEFAULT_JOB_OPTIONS)
    const jobs = createSqliteJobStore(db, createWriteQueue(db))
    expect((await jobs.get('old'))?.options).toEqual(DEFAULT_JOB_OPTIONS)
    expect((await jobs.listUnfinished()).map((j) => j.id)).toEqual(['old'])
    await jobs.close()
    db.close()
  })

  it('migrates a file from before languages: options and articles read as English, in the file too', async () => {
    const before = SCHEMA_VERSION - 1
    const path = join(dir, `version-${before}.db`)
    const raw = new Database(path)
    for (const step of MIGRATIONS.slice(0, before)) raw.exec(step)
    raw.pragma(`user_version = ${before}`)
    const { language: _language, ...oldOptions } = DEFAULT_JOB_OPTIONS
    const article = { title: 'Tea', sections: [{ title: 'a', content: 'b' }], markdown: '# Tea' }
    const rows = [
      { id: 'done', status: 'completed', progress: 100, step: 'style', article },
      { id: 'queued', status: 'queued', progress: 0, step: null },
    ]
    const insert = raw.prepare(
      'INSERT INTO jobs (id, status, created_at, updated_at, record) VALUES (?, ?, ?, ?, ?)',
    )
    for (const row of rows) {
      const record = { ...row, topic: 'tea', options: oldOptions, createdAt: ts, updatedAt: ts }
      insert.run(row.id, row.status, ts, ts, JSON.stringify({ ...record, attempt: 0 }))
    }
    raw.close()

    const db = openDatabase(path)
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    const jobs = createSqliteJobStore(db, createWriteQueue(db))
    const done = await jobs.get('done')
    expect(done?.options).toEqual(DEFAULT_JOB_OPTIONS)
    expect(done?.article).toEqual({ ...article, language: 'en' })
    const queued = await jobs.get('queued')
    expect(queued?.options.language).toBe('en')
    expect(queued?.article).toBeUndefined()
    await jobs.close()
    db.close()
  })

  it('migrates a version 3 file: a key kept from before owner tokens gives its replay’s token to the job', async () => {
    const { path, raw } = fileAtVersion('version-3.db', 3)
    const record = { id: 'old', topic: 'tea', status: 'running', progress: 40, step: 'content' }
    insertJob(raw, record, { attempt: 1 })
    raw
      .prepare(
        'INSERT INTO idempotency_keys (key, job_id, fingerprint, used_at) VALUES (?, ?, ?, ?)',
      )
      .run('k-old', 'old', 'f1', ts)
    raw.close()

    const db = openDatabase(path)
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    const jobs = createSqliteJobStore(db, createWriteQueue(db))
    expect((await jobs.get('old'))?.ownerTokenHash).toBeUndefined()
    let count = 1
    const replay = () =>
      jobs.create({
        id: 'new',
        topic: 'tea',
        createdAt: ts,
        ownerTokenHash: `hash-of-${count}`,
        idempotency: { key: 'k-old', fingerprint: 'f1', ownerToken: `token-${count++}` },
      })
    expect(await replay()).toMatchObject({
      created: false,
      ownerToken: 'token-1',
      job: { ...record, ownerTokenHash: 'hash-of-1' },
    })
    // The first replay claimed it: later ones get the same token, and the job keeps its owner.
    expect(await replay()).toMatchObject({ created: false, ownerToken: 'token-1' })
    expect(await jobs.get('old')).toMatchObject({ ...record, ownerTokenHash: 'hash-of-1' })
    expect(await jobs.get('new')).toBeUndefined()
    db.close()
  })

  it('refuses a database written by a newer build', () => {
    const { path, raw } = fileAtVersion('newer.db', SCHEMA_VERSION + 1)
    raw.close()
    expect(() => openDatabase(path)).toThrow(/newer than this build/)
  })

  it('keeps jobs, keys and events, continues seq and keeps closed logs closed', async () => {
    const path = join(dir, 'reopen.db')
    let db = openDatabase(path)
    let writes = createWriteQueue(db)
    let jobs = createSqliteJobStore(db, writes)
    let events = createSqliteEventLog(db, writes)
    const idempotency = { key: 'k1', fingerprint: 'f1', ownerToken: 'owner-token-1' }
    await jobs.create({
      id: 'open',
      topic: 'tea',
      createdAt: ts,
      ownerTokenHash: 'owner-hash-1',
      idempotency,
    })
    await jobs.update('open', { status: 'running', checkpoint: '{"sections":["a"]}' })
    await events.append(token('open', 'a'))
    await events.append(token('open', 'b'))
    await events.append(token('done', 'x'))
    await events.append({
      type: 'job.cancelled',
      jobId: 'done',
      ts,
      progress: 40,
    })
    // Appends still waiting for their batch are committed by close, not lost.
    const pending = events.append(token('open', 'c'))
    await events.close()
    await expect(pending).resolves.toMatchObject({ seq: 3 })
    db.close()

    db = openDatabase(path)
    writes = createWriteQueue(db)
    jobs = createSqliteJobStore(db, writes)
    events = createSqliteEventLog(db, writes)
    expect(await jobs.get('open')).toMatchObject({
      status: 'running',
      checkpoint: '{"sections":["a"]}',
      ownerTokenHash: 'owner-hash-1',
    })
    const again = await jobs.create({
      id: 'other',
      topic: 'tea',
      createdAt: ts,
      ownerTokenHash: 'owner-hash-2',
      idempotency: { ...idempotency, ownerToken: 'owner-token-2' },
    })
    expect(again).toMatchObject({
      created: false,
      job: { id: 'open', ownerTokenHash: 'owner-hash-1' },
      ownerToken: 'owner-token-1',
    })
    expect((await events.append(token('open', 'd'))).seq).toBe(4)
    await expect(events.append(token('done', 'late'))).rejects.toBeInstanceOf(EventLogClosedError)
    expect((await events.read('open', 0)).map((e) => e.seq)).toEqual([1, 2, 3, 4])
    await events.close()
    db.close()
  })
})
