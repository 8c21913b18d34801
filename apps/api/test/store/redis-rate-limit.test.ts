import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { openRedisStorage } from '../../src/store/redis/open-redis-storage.js'
import { startTestServer, type TestServer } from '../helpers/test-server.js'
import { deleteKeys, redisForTests, TEST_REDIS_URL, uniquePrefix } from './redis-test-support.js'

const up = await redisForTests('the Redis rate-limit test')

describe.skipIf(!up)('job creation limit in redis mode', () => {
  const prefix = uniquePrefix('rate-limit')
  const servers: TestServer[] = []
  afterAll(async () => {
    for (const server of servers) await server.close()
    await deleteKeys(TEST_REDIS_URL, [prefix])
  })

  it('counts one client’s jobs across API instances that share a Redis', async () => {
    for (const name of ['a', 'b']) {
      const storage = await openRedisStorage(TEST_REDIS_URL, {
        keyPrefix: prefix,
        instanceName: name,
      })
      servers.push(
        await startTestServer({
          storage,
          env: { RATE_LIMIT_PER_MINUTE: '3', DEMO_TOKEN_DELAY_MS: '0' },
        }),
      )
    }
    const [a, b] = servers as [TestServer, TestServer]
    const post = (server: TestServer, topic: string) =>
      request(server.baseUrl).post('/api/jobs').send({ topic })
    const statuses = [
      (await post(a, 'one')).status,
      (await post(b, 'two')).status,
      (await post(a, 'three')).status,
    ]
    expect(statuses).toEqual([202, 202, 202])
    const fourth = await post(b, 'four')
    expect(fourth.status).toBe(429)
    expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0)
  })
})
