import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll } from 'vitest'

/** The Redis the tests use: loopback, a DB of its own. Keys carry a per-run prefix too. */
export const TEST_REDIS_URL = 'redis://127.0.0.1:6379/15'

/** A key prefix no other run uses, so parallel runs never see each other's data. */
export const uniquePrefix = (label: string) =>
  `inkflow-test-${label}-${randomBytes(4).toString('hex')}`

/**
 * Returns `newPrefix`, which hands out fresh prefixes (`uniquePrefix`) on the test Redis;
 * their keys are deleted after the tests of the calling file or `describe`.
 */
export function prefixesDeletedAfterAll(): (label: string) => string {
  const prefixes: string[] = []
  afterAll(() => (prefixes.length ? deleteKeys(TEST_REDIS_URL, prefixes) : undefined))
  return (label) => {
    const prefix = uniquePrefix(label)
    prefixes.push(prefix)
    return prefix
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  client.on('error', () => {})
  try {
    await client.connect()
    return (await client.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    client.disconnect()
  }
}

/**
 * Whether the Redis tests run: they skip, saying why, when no Redis answers; under
 * `CI=true` a missing Redis is a failure instead, so CI can never pass by skipping them.
 */
export async function redisForTests(what: string, url = TEST_REDIS_URL): Promise<boolean> {
  if (await answers(url)) return true
  const hint = 'start one: redis-server --port 6379 --save "" --appendonly no'
  if (process.env.CI === 'true') {
    throw new Error(
      `${what}: no Redis answers at ${url}, and CI=true requires these tests (${hint})`,
    )
  }
  console.warn(`\n  SKIPPED ${what}: no Redis answers at ${url} (${hint})\n`)
  return false
}

/** Deletes every key under the prefixes (SCAN + UNLINK, never FLUSHDB). */
export async function deleteKeys(url: string, prefixes: string[]): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 })
  try {
    for (const prefix of prefixes) {
      let cursor = '0'
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
        cursor = next
        if (keys.length > 0) await client.unlink(...keys)
      } while (cursor !== '0')
    }
  } finally {
    client.disconnect()
  }
}

/** Names of the connections whose name contains `part` (`CLIENT LIST`). */
export async function connectionNames(url: string, part: string): Promise<string[]> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 })
  try {
    const list = String(await client.call('CLIENT', 'LIST'))
    return list
      .split('\n')
      .map((line) => /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '')
      .filter((name) => name.includes(part))
  } finally {
    client.disconnect()
  }
}
