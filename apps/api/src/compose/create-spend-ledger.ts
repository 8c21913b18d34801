import type { SpendLedger } from '../jobs/spend-ledger.js'
import { createMemorySpendLedger } from '../store/memory/memory-spend-ledger.js'
import { createRedisSpendLedger } from '../store/redis/redis-spend-ledger.js'
import { openSqliteSpendLedger } from '../store/sqlite/sqlite-spend-ledger.js'
import type { Storage } from './create-storage.js'

/** The spend ledger in the same store as the jobs: the one `STORE_URL` names. */
export function createSpendLedger(storeUrl: string, storage: Storage): SpendLedger {
  if (storage.redis) return createRedisSpendLedger(storage.redis.commands, storage.redis.keyPrefix)
  if (storage.kind === 'sqlite' && storeUrl.startsWith('sqlite:')) {
    return openSqliteSpendLedger(storeUrl.slice('sqlite:'.length))
  }
  return createMemorySpendLedger()
}
