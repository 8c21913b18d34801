import type { ProgressEvent } from '@inkflow/shared'
import { describe, expect, it } from 'vitest'
import type { Storage } from '../../src/compose/create-storage.js'
import { EventLogFencedError } from '../../src/events/event-log.js'
import { openRedisStorage } from '../../src/store/redis/open-redis-storage.js'
import { createRedisKeys } from '../../src/store/redis/redis-keys.js'
import { closeAfterEach } from '../helpers/close-after-each.js'
import { tokenEvent as token } from '../helpers/log-events.js'
import { waitUntil as until } from '../helpers/test-server.js'
import { describeEventLogContract } from './event-log.contract.js'
import { describeJobStoreContract } from './job-store.contract.js'
import {
  connectionNames,
  prefixesDeletedAfterAll,
  redisForTests,
  TEST_REDIS_URL,
} from './redis-test-support.js'

const closing = closeAfterEach()

const up = await redisForTests('the Redis store tests')
const newPrefix = prefixesDeletedAfterAll()

/** A fresh, empty storage: its own key prefix (removed after the run). */
async function open(label: string, prefix = newPrefix(label)): Promise<Storage> {
  return openRedisStorage(TEST_REDIS_URL, { keyPrefix: prefix, instanceName: label })
}

describe.skipIf(!up)('redis storage', () => {
  describeJobStoreContract('redis', async () => {
    const storage = await open('jobs')
    return { ...storage.jobs, close: storage.close }
  })
  describeEventLogContract('redis', async () => {
    const storage = await open('events')
    return { ...storage.events, close: storage.close }
  })

  it('refuses an append fenced by an attempt that is no longer current', async () => {
    const storage = closing(await open('fence'))
    await storage.jobs.create({ id: 'j1', topic: 'tea', createdAt: new Date().toISOString() })
    await storage.jobs.update('j1', { status: 'running', attempt: 2 })
    await expect(storage.events.append(token('j1', 'old'), { attempt: 1 })).rejects.toThrow(
      EventLogFencedError,
    )
    expect((await storage.events.append(token('j1', 'new'), { attempt: 2 })).seq).toBe(1)
    await expect(storage.events.append(token('nope', 'x'), { attempt: 1 })).rejects.toThrow(
      EventLogFencedError,
    )
    expect((await storage.events.read('j1', 0)).map((e) => e.seq)).toEqual([1])
  })

  it('gives two writers on separate connections contiguous seqs, and one reader sees both', async () => {
    const prefix = newPrefix('writers')
    const [a, b, reader] = [
      closing(await open('a', prefix)),
      closing(await open('b', prefix)),
      closing(await open('r', prefix)),
    ]
    const seen: ProgressEvent[] = []
    const stop = reader.events.subscribe('shared', (e) => seen.push(e))
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        (i % 2 ? a : b).events.append(token('shared', `t${i}`)),
      ),
    )
    const all = Array.from({ length: 100 }, (_, i) => i + 1)
    expect((await reader.events.read('shared', 0)).map((e) => e.seq)).toEqual(all)
    await until(() => seen.length >= 100)
    expect(seen.map((e) => e.seq)).toEqual(all)
    stop()
  })

  it('keeps owner tokens for every instance: the hash with the job, the token for a replay', async () => {
    const prefix = newPrefix('owners')
    const [a, b] = [closing(await open('a', prefix)), closing(await open('b', prefix))]
    const idempotency = { key: 'k1', fingerprint: 'f1', ownerToken: 'token-a' }
    const createdAt = new Date().toISOString()
    await a.jobs.create({
      id: 'j1',
      topic: 'tea',
      createdAt,
      ownerTokenHash: 'hash-a',
      idempotency,
    })
    expect((await b.jobs.get('j1'))?.ownerTokenHash).toBe('hash-a')
    const replay = await b.jobs.create({
      id: 'j2',
      topic: 'tea',
      createdAt,
      ownerTokenHash: 'hash-b',
      idempotency: { ...idempotency, ownerToken: 'token-b' },
    })
    expect(replay).toMatchObject({
      created: false,
      ownerToken: 'token-a',
      job: { id: 'j1', ownerTokenHash: 'hash-a' },
    })
  })

  it('lets the replays of a key kept from before owner tokens agree on one token, given to the job', async () => {
    const prefix = newPrefix('legacy-key')
    const storage = closing(await open('legacy', prefix))
    const createdAt = new Date().toISOString()
    await storage.jobs.create({ id: 'old', topic: 'tea', createdAt })
    // What an older build wrote for an Idempotency-Key: no ownerToken field.
    const keys = createRedisKeys(prefix)
    await storage.redis?.commands.hset(
      keys.idempotency('k-old'),
      'fingerprint',
      'f1',
      'jobId',
      'old',
    )
    const replays = await Promise.all(
      [1, 2, 3].map((n) =>
        storage.jobs.create({
          id: `new-${n}`,
          topic: 'tea',
          createdAt,
          ownerTokenHash: `hash-${n}`,
          idempotency: { key: 'k-old', fingerprint: 'f1', ownerToken: `token-${n}` },
        }),
      ),
    )
    const tokens = new Set(replays.map((r) => (r.created ? 'created' : r.ownerToken)))
    expect(tokens.size).toBe(1)
    const [token] = [...tokens]
    expect(token).toMatch(/^token-\d$/)
    expect((await storage.jobs.get('old'))?.ownerTokenHash).toBe(`hash-${token!.slice(-1)}`)
    expect(await storage.jobs.get('new-1')).toBeUndefined()
  })

  it('follows many streams over one blocking connection, not one per stream', async () => {
    const storage = closing(await open('fanout'))
    const jobs = Array.from({ length: 300 }, (_, i) => `job-${i}`)
    const seen = new Map<string, number>()
    const stops = jobs.map((job) => storage.events.subscribe(job, (e) => seen.set(job, e.seq)))
    for (const job of jobs) await storage.events.append(token(job, 'x'))
    await until(() => seen.size === jobs.length)
    // The command connection plus the one stream follower, however many streams are followed.
    const names = await connectionNames(TEST_REDIS_URL, `:fanout:`)
    expect(names.sort()).toEqual([
      expect.stringMatching(/:fanout:commands$/),
      expect.stringMatching(/:fanout:stream-follower$/),
    ])
    for (const stop of stops) stop()
  })
})
