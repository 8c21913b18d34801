import { afterAll, describe, expect, it } from 'vitest'
import { openRedisStorage } from '../../src/store/redis/open-redis-storage.js'
import { completedJob, eventsOf, jobWhen, postRevision } from '../helpers/job-client.js'
import { getJob, startTestServer, type TestServer } from '../helpers/test-server.js'
import { deleteKeys, redisForTests, TEST_REDIS_URL, uniquePrefix } from './redis-test-support.js'

const up = await redisForTests('the Redis revision test')

describe.skipIf(!up)('a revision in redis mode (Redis store, BullMQ queue)', () => {
  const prefix = uniquePrefix('revision')
  const servers: TestServer[] = []
  afterAll(async () => {
    for (const server of servers) await server.close()
    await deleteKeys(TEST_REDIS_URL, [prefix])
  })

  it('is asked of one instance and streamed by another, its article the original with one section replaced', async () => {
    for (const name of ['a', 'b']) {
      const storage = await openRedisStorage(TEST_REDIS_URL, {
        keyPrefix: prefix,
        instanceName: name,
      })
      servers.push(await startTestServer({ storage, env: { DEMO_TOKEN_DELAY_MS: '0' } }))
    }
    const [a, b] = servers as [TestServer, TestServer]
    const original = await completedJob(a.baseUrl, { topic: 'harbours', language: 'pt-BR' })
    const ask = { section: 0, instruction: 'shorter' }
    const res = await postRevision(b.baseUrl, original.id, original.ownerToken, ask)
    expect(res.status).toBe(202)
    const { id } = (await res.json()) as { id: string }
    const revised = await jobWhen(a.baseUrl, id, (j) => j.status === 'completed')
    expect(revised.revisionOf).toEqual({ jobId: original.id, ...ask })
    expect(revised.options.language).toBe('pt-BR')
    const events = await eventsOf(a.baseUrl, id)
    const completed = events.find((e) => e.type === 'section.completed')
    if (completed?.type !== 'section.completed') throw new Error('no section.completed')
    const tokens = events.flatMap((e) => (e.type === 'token' ? [e] : []))
    expect(tokens.every((t) => t.step === 'revise' && t.index === 0)).toBe(true)
    expect(tokens.map((t) => t.text).join('')).toBe(completed.content)
    const base = original.job.article!
    expect(revised.article?.sections).toEqual(
      base.sections.map((s, i) => (i === 0 ? { ...s, content: completed.content.trim() } : s)),
    )
    expect(await getJob(b.baseUrl, original.id)).toEqual(original.job)
  })
})
