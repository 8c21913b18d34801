import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { createMemorySpendLedger } from '../../src/store/memory/memory-spend-ledger.js'
import { createRedisSpendLedger } from '../../src/store/redis/redis-spend-ledger.js'
import { openSqliteStorage } from '../../src/store/sqlite/open-sqlite-storage.js'
import { prefixesDeletedAfterAll, redisForTests, TEST_REDIS_URL } from './redis-test-support.js'
import { describeSpendLedgerContract } from './spend-ledger.contract.js'

describeSpendLedgerContract('memory', async () => createMemorySpendLedger())

const dir = mkdtempSync(join(tmpdir(), 'inkflow-spend-'))
let files = 0
const opened: { close(): Promise<void> }[] = []
// The ledger shares the storage's connection and write queue, as in the API.
describeSpendLedgerContract('sqlite', async () => {
  const storage = openSqliteStorage(join(dir, `${files++}.db`))
  opened.push(storage)
  return storage.spend
})
afterAll(async () => {
  for (const storage of opened) await storage.close()
  rmSync(dir, { recursive: true, force: true })
})

if (await redisForTests('the redis spend ledger')) {
  const redis = new Redis(TEST_REDIS_URL)
  const newPrefix = prefixesDeletedAfterAll()
  describeSpendLedgerContract('redis', async () =>
    createRedisSpendLedger(redis, newPrefix('spend')),
  )
  describe('redis spend ledger, several processes', () => {
    it('shows every process the same totals', async () => {
      const prefix = newPrefix('spend-shared')
      const other = new Redis(TEST_REDIS_URL)
      try {
        const api = createRedisSpendLedger(redis, prefix)
        const worker = createRedisSpendLedger(other, prefix)
        await api.attribute('job-1', 'a')
        await worker.add('job-1', 120)
        await createRedisSpendLedger(other, prefix).add('job-1', 30)
        expect(await api.spent('a')).toBe(150)
      } finally {
        other.disconnect()
      }
    })
  })
  afterAll(async () => {
    redis.disconnect()
  })
}
