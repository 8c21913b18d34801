import { isOutline, startLlmStub } from '@inkflow/llm-stub'
import { JobCreatedSchema, JobListSchema, JobSchema, ProblemSchema } from '@inkflow/shared'
import request from 'supertest'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { closeAfterEach } from '../helpers/close-after-each.js'
import {
  cancelJob,
  createJob,
  startJob,
  startTestServer,
  stubModel,
  type TestServer,
  waitUntil,
} from '../helpers/test-server.js'

const closing = closeAfterEach()

/** Asserts an RFC 9457 body with the given status and no internals. */
function expectProblem(res: request.Response, status: number) {
  expect(res.status).toBe(status)
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  const problem = ProblemSchema.parse(JSON.parse(res.text))
  expect(problem.status).toBe(status)
  expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/)
  return problem
}

describe('POST /api/jobs', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ env: { DEMO_TOKEN_DELAY_MS: '0' } })
  })
  afterAll(() => server.close())

  it('accepts a topic with 202, a Location header, links and an owner token', async () => {
    const res = await request(server.baseUrl).post('/api/jobs').send({ topic: '  green tea  ' })
    expect(res.status).toBe(202)
    const body = JobCreatedSchema.parse(res.body)
    expect(Object.keys(res.body)).toEqual(['id', 'status', 'ownerToken', 'links'])
    // 32 random bytes, base64url; a cache along the way must not keep it.
    expect(body.ownerToken).toMatch(/^[\w-]{43}$/)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers.location).toBe(`/api/jobs/${body.id}`)
    expect(body.links).toEqual({
      self: `/api/jobs/${body.id}`,
      events: `/api/jobs/${body.id}/events`,
    })
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/)
    const job = await request(server.baseUrl).get(body.links.self)
    expect(job.body.topic).toBe('green tea')
  })

  it.each([
    ['an empty topic', { topic: '   ' }],
    ['a topic over 200 characters', { topic: 'x'.repeat(201) }],
    ['a missing topic', {}],
    ['a topic that is not a string', { topic: 42 }],
    ['a body that is an array', [1, 2]],
  ])('rejects %s with a 422 problem naming the field', async (_name, body) => {
    const res = await request(server.baseUrl)
      .post('/api/jobs')
      .send(body as object)
    const problem = expectProblem(res, 422)
    expect(problem.errors?.length).toBeGreaterThan(0)
  })

  it('accepts a topic of exactly 200 characters after trimming', async () => {
    const res = await request(server.baseUrl)
      .post('/api/jobs')
      .send({ topic: ` ${'y'.repeat(200)} ` })
    expect(res.status).toBe(202)
  })

  it.each([
    ['malformed JSON', 'application/json', '{"topic":', 400],
    ['a body that is not JSON', 'text/plain', 'topic=tea', 415],
    [
      'a body over 16 KiB',
      'application/json',
      JSON.stringify({ topic: 'tea', pad: 'x'.repeat(17 * 1024) }),
      413,
    ],
  ])('answers %s with %i', async (_name, type, body, status) => {
    const res = await request(server.baseUrl).post('/api/jobs').set('content-type', type).send(body)
    expectProblem(res, status)
  })

  const postKeyed = (key: string, topic = 'tea') =>
    request(server.baseUrl).post('/api/jobs').set('Idempotency-Key', key).send({ topic })

  it('returns the same job for a repeated Idempotency-Key and body', async () => {
    const first = await postKeyed('abc-1')
    const again = await postKeyed('abc-1')
    expect(again.status).toBe(202)
    expect(again.body.id).toBe(first.body.id)
    expect(again.headers['idempotent-replayed']).toBe('true')
    // The replay hands out the same owner token: a client that lost the first answer can
    // still control its job.
    expect(again.body.ownerToken).toBe(first.body.ownerToken)
    const other = await request(server.baseUrl).post('/api/jobs').send({ topic: 'tea' })
    expect(other.body.ownerToken).not.toBe(first.body.ownerToken)
  })

  it('refuses an Idempotency-Key reused with another body with 422', async () => {
    await postKeyed('abc-2')
    expectProblem(await postKeyed('abc-2', 'coffee'), 422)
  })

  it('refuses a malformed Idempotency-Key with 400', async () => {
    expectProblem(await postKeyed('x'.repeat(300)), 400)
  })
})

const OPERATOR = 'the-operators-own-token'
const asOperator = { authorization: `Bearer ${OPERATOR}` }

describe('GET /api/jobs (an operator) and /api/jobs/{id}', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({
      env: { DEMO_TOKEN_DELAY_MS: '0', OPERATOR_TOKEN: OPERATOR },
    })
  })
  afterAll(() => server.close())

  it('returns a finished job with its article and usage', async () => {
    const id = await createJob(server.baseUrl, 'tea', asOperator)
    const job = await waitUntil(async () => {
      const res = await request(server.baseUrl).get(`/api/jobs/${id}`)
      return res.body.status === 'completed' ? JobSchema.parse(res.body) : undefined
    })
    expect(job).toMatchObject({ id, topic: 'tea', status: 'completed', progress: 100 })
    expect(job.article?.sections.length).toBeGreaterThanOrEqual(3)
    expect(job.article?.markdown).toContain(`# ${job.article?.title}`)
    expect(job.usage?.totalTokens).toBeGreaterThan(0)
    expect(job).not.toHaveProperty('checkpoint')
    expect(job).not.toHaveProperty('ownerTokenHash')
  })

  it('answers an unknown id, and an absurdly long one, with a 404 problem', async () => {
    expectProblem(await request(server.baseUrl).get('/api/jobs/does-not-exist'), 404)
    expectProblem(await request(server.baseUrl).get(`/api/jobs/${'a'.repeat(5000)}`), 404)
  })

  it('lists newest first and pages through every job exactly once', async () => {
    const ids: string[] = []
    for (const topic of ['one', 'two', 'three', 'four', 'five'])
      ids.push(await createJob(server.baseUrl, topic, asOperator))
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const res = await request(server.baseUrl)
        .get('/api/jobs')
        .set(asOperator)
        .query(cursor ? { limit: 2, cursor } : { limit: 2 })
      expect(res.status).toBe(200)
      const page = JobListSchema.parse(res.body)
      expect(page.items.length).toBeLessThanOrEqual(2)
      for (const item of page.items) expect(Object.keys(item)).not.toContain('ownerTokenHash')
      seen.push(...page.items.map((j) => j.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(new Set(seen).size).toBe(seen.length)
    const mine = seen.filter((id) => ids.includes(id))
    expect(mine).toEqual([...ids].reverse())
  })

  it('uses a default limit of 20', async () => {
    const res = await request(server.baseUrl).get('/api/jobs').set(asOperator)
    expect(res.status).toBe(200)
    expect(res.body.items.length).toBeLessThanOrEqual(20)
  })

  it('needs the operator token to list: 401 without it, 403 with a job’s owner token', async () => {
    const { ownerToken } = await startJob(server.baseUrl, 'mine', asOperator)
    const missing = await request(server.baseUrl).get('/api/jobs')
    expect(expectProblem(missing, 401).detail).toContain('OPERATOR_TOKEN')
    expect(missing.headers['www-authenticate']).toBe('Bearer')
    const owner = await request(server.baseUrl)
      .get('/api/jobs')
      .set('Authorization', `Bearer ${ownerToken}`)
    expect(expectProblem(owner, 403).detail).toContain('operator token')
  })

  it.each(['limit=0', 'limit=101', 'limit=abc', 'limit=1&limit=2', 'cursor=bm9wZQ'])(
    'answers ?%s with a 400 problem',
    async (query) => {
      expectProblem(await request(server.baseUrl).get(`/api/jobs?${query}`).set(asOperator), 400)
    },
  )
})

describe('POST /api/jobs/{id}/cancel (no API_TOKEN: the default)', () => {
  let server: TestServer
  const stub = startLlmStub({
    reply: (r) => (isOutline(r) ? {} : { hangAfterTokens: 3 }),
  })
  /** Every job a test started, to cancel after it with its owner token. */
  let started: { id: string; ownerToken: string }[] = []
  const start = async (topic: string) => {
    const job = await startJob(server.baseUrl, topic)
    started.push(job)
    return job
  }
  const statusOf = async (id: string) =>
    (await request(server.baseUrl).get(`/api/jobs/${id}`)).body.status
  const cancel = (id: string, authorization?: string) => {
    const req = request(server.baseUrl).post(`/api/jobs/${id}/cancel`)
    return authorization === undefined ? req : req.set('Authorization', authorization)
  }
  beforeAll(async () => {
    server = await startTestServer({
      llm: stubModel((await stub).url),
      env: { MAX_CONCURRENT_JOBS: '1' },
    })
  })
  afterAll(async () => {
    await server.close()
    await (await stub).close()
  })
  afterEach(async () => {
    // Free the single slot for the next test.
    for (const { id, ownerToken } of started) await cancelJob(server.baseUrl, id, ownerToken)
    started = []
  })

  it('cancels a waiting job at once with its owner token, and a repeat is harmless', async () => {
    const running = await start('first')
    const waiting = await start('second')
    await waitUntil(async () => (await statusOf(running.id)) === 'running')
    expect(await statusOf(waiting.id)).toBe('queued')
    const res = await cancel(waiting.id, `Bearer ${waiting.ownerToken}`)
    expect(res.status).toBe(202)
    expect(res.body.status).toBe('cancelled')
    // The answer is the job's links: the owner token goes out only when the job is created.
    expect(res.body).not.toHaveProperty('ownerToken')
    const again = await cancel(waiting.id, `Bearer ${waiting.ownerToken}`)
    expect(again.status).toBe(202)
    expect(again.body.status).toBe('cancelled')
  })

  it('answers 202 for a running job, which then ends cancelled', async () => {
    const { id, ownerToken } = await start('running')
    await waitUntil(
      async () => (await request(server.baseUrl).get(`/api/jobs/${id}`)).body.step === 'content',
    )
    const res = await cancel(id, `Bearer ${ownerToken}`)
    expect(res.status).toBe(202)
    await waitUntil(async () => (await statusOf(id)) === 'cancelled')
  })

  it('answers 401 without a bearer token, and the job goes on', async () => {
    const { id } = await start('nobody cancels me')
    for (const authorization of [undefined, '', 'Bearer', 'Bearer  ', 'Basic dXNlcjpwYXNz']) {
      const res = await cancel(id, authorization)
      const problem = expectProblem(res, 401)
      expect(res.headers['www-authenticate']).toBe('Bearer')
      expect(problem.detail).toContain('ownerToken')
    }
    expect(['queued', 'running']).toContain(await statusOf(id))
  })

  it('answers 403 to a token that is not the job’s, and the job goes on', async () => {
    const mine = await start('mine')
    const theirs = await start('theirs')
    for (const token of [
      theirs.ownerToken,
      `${mine.ownerToken}x`,
      mine.ownerToken.slice(0, -1),
      'a'.repeat(43),
      'not-a-token',
    ]) {
      const problem = expectProblem(await cancel(mine.id, `Bearer ${token}`), 403)
      expect(problem.title).toBe('Forbidden')
    }
    expect(['queued', 'running']).toContain(await statusOf(mine.id))
    // The scheme's name is case-insensitive.
    expect((await cancel(mine.id, `bearer ${mine.ownerToken}`)).status).toBe(202)
  })

  it('answers an unknown job with 404 (401 first when no token is sent)', async () => {
    const { ownerToken } = await start('some job')
    expectProblem(await cancel('nope', `Bearer ${ownerToken}`), 404)
    expectProblem(await cancel('nope'), 401)
  })

  it('lets nobody list every job: 403 without an OPERATOR_TOKEN, whatever is sent', async () => {
    const { ownerToken } = await start('listed nowhere')
    for (const authorization of [undefined, `Bearer ${ownerToken}`, 'Bearer anything-at-all']) {
      const req = request(server.baseUrl).get('/api/jobs')
      const res = authorization ? await req.set('Authorization', authorization) : await req
      const problem = expectProblem(res, 403)
      expect(problem.detail).toContain('OPERATOR_TOKEN')
    }
  })

  it('reads a job and its events by id alone', async () => {
    const { id } = await start('read by link')
    const job = await request(server.baseUrl).get(`/api/jobs/${id}`)
    expect(job.status).toBe(200)
    expect(job.body).not.toHaveProperty('ownerTokenHash')
    const stream = await fetch(`${server.baseUrl}/api/jobs/${id}/events`)
    expect(stream.status).toBe(200)
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/)
    await stream.body?.cancel()
  })
})

describe('GET /api/jobs/{id} while the job runs', () => {
  it('shows step and progress that only move forward, up to the finished job', async () => {
    const server = closing(await startTestServer({ env: { DEMO_TOKEN_DELAY_MS: '2' } }))
    const id = await createJob(server.baseUrl)
    const seen: { step: string | null; progress: number; status: string }[] = []
    await waitUntil(async () => {
      const job = JobSchema.parse((await request(server.baseUrl).get(`/api/jobs/${id}`)).body)
      seen.push({ step: job.step, progress: job.progress, status: job.status })
      return job.status === 'completed'
    }, 30_000)
    const order = [null, 'outline', 'content', 'style']
    const steps = seen.map((s) => order.indexOf(s.step))
    // Polled every 10 ms over the whole job: the steps show in order, never going back.
    expect(steps).toContain(2)
    expect(steps).toEqual([...steps].sort((a, b) => a - b))
    const progress = seen.map((s) => s.progress)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))
    expect(new Set(progress).size).toBeGreaterThan(3) // it moves within the steps too
    expect(seen.at(-1)).toEqual({ step: 'style', progress: 100, status: 'completed' })
  })
})

describe('a finished job', () => {
  it('cannot be cancelled, even by its owner: 409', async () => {
    const server = closing(await startTestServer({ env: { DEMO_TOKEN_DELAY_MS: '0' } }))
    const { id, ownerToken } = await startJob(server.baseUrl)
    await waitUntil(
      async () =>
        (await request(server.baseUrl).get(`/api/jobs/${id}`)).body.status === 'completed',
    )
    expectProblem(
      await request(server.baseUrl)
        .post(`/api/jobs/${id}/cancel`)
        .set('Authorization', `Bearer ${ownerToken}`),
      409,
    )
  })
})

describe('system routes', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ env: { CORS_ORIGINS: 'https://app.example.com' } })
  })
  afterAll(() => server.close())

  it('tells the SPA the provider, model and limits', async () => {
    const res = await request(server.baseUrl).get('/api/config')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      provider: 'demo',
      model: 'inkflow-demo',
      limits: { topicMaxLength: 200 },
    })
  })

  it('answers liveness and readiness', async () => {
    expect((await request(server.baseUrl).get('/healthz')).status).toBe(200)
    expect((await request(server.baseUrl).get('/readyz')).body).toEqual({ status: 'ready' })
  })

  it('answers an unknown route with a 404 problem', async () => {
    expectProblem(await request(server.baseUrl).get('/api/nothing-here'), 404)
  })

  it('allows CORS from the allow-list only, exposing Location', async () => {
    const allowed = await request(server.baseUrl)
      .get('/api/config')
      .set('Origin', 'https://app.example.com')
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com')
    expect(allowed.headers['access-control-expose-headers']).toContain('Location')
    const preflight = await request(server.baseUrl)
      .options('/api/jobs')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,idempotency-key')
    expect(preflight.status).toBeLessThan(300)
    expect(preflight.headers['access-control-allow-headers']?.toLowerCase()).toContain(
      'idempotency-key',
    )
    const denied = await request(server.baseUrl)
      .get('/api/config')
      .set('Origin', 'https://evil.example.com')
    expect(denied.headers['access-control-allow-origin']).toBeUndefined()
  })
})

describe('an unexpected failure', () => {
  it('becomes a generic 500 problem with no internals', async () => {
    const server = closing(await startTestServer())
    const jobs = server.storage.jobs
    jobs.get = async () => {
      throw new Error('secret database detail at /srv/db.ts:12')
    }
    const res = await request(server.baseUrl).get('/api/jobs/anything')
    const problem = expectProblem(res, 500)
    expect(res.text).not.toContain('secret')
    expect(problem.detail).toBe('something went wrong on our side')
  })
})
