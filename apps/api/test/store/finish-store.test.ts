import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe } from 'vitest'
import { createStorage } from '../../src/compose/create-storage.js'
import { openRedisStorage } from '../../src/store/redis/open-redis-storage.js'
import { openSqliteStorage } from '../../src/store/sqlite/open-sqlite-storage.js'
import { describeFinishStoreContract } from './finish-store.contract.js'
import { prefixesDeletedAfterAll, redisForTests, TEST_REDIS_URL } from './redis-test-support.js'

describeFinishStoreContract('memory', () => createStorage('memory'))

// Real files, one fresh database per test, all under one temporary directory.
const dir = mkdtempSync(join(tmpdir(), 'inkflow-finish-contract-'))
let files = 0
afterAll(() => rmSync(dir, { recursive: true, force: true }))
describeFinishStoreContract('sqlite', async () => openSqliteStorage(join(dir, `${files++}.db`)))

const up = await redisForTests('the Redis FinishStore contract')
describe.skipIf(!up)('redis', () => {
  const newPrefix = prefixesDeletedAfterAll()
  describeFinishStoreContract('redis', async () => {
    return openRedisStorage(TEST_REDIS_URL, {
      keyPrefix: newPrefix('finish'),
      instanceName: 'finish',
    })
  })
})
