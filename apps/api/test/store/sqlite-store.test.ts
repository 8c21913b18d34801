import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Database } from 'better-sqlite3'
import { afterAll, afterEach } from 'vitest'
import { openDatabase } from '../../src/store/sqlite/open-database.js'
import { createSqliteEventLog } from '../../src/store/sqlite/sqlite-event-log.js'
import { createSqliteJobStore } from '../../src/store/sqlite/sqlite-job-store.js'
import { createWriteQueue } from '../../src/store/sqlite/write-queue.js'
import { describeEventLogContract } from './event-log.contract.js'
import { describeJobStoreContract } from './job-store.contract.js'

// Real files, one fresh database per test, all under one temporary directory.
const dir = mkdtempSync(join(tmpdir(), 'inkflow-sqlite-contract-'))
let opened: Database[] = []
let count = 0
const freshDatabase = () => {
  const db = openDatabase(join(dir, `test-${count++}.db`))
  opened.push(db)
  return db
}

// Runs after the suites' own afterEach has closed the adapter.
afterEach(() => {
  for (const db of opened) db.close()
  opened = []
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describeJobStoreContract('sqlite', async () => {
  const db = freshDatabase()
  return createSqliteJobStore(db, createWriteQueue(db))
})
describeEventLogContract('sqlite', async () => {
  const db = freshDatabase()
  return createSqliteEventLog(db, createWriteQueue(db))
})
