import { createHash } from 'node:crypto'
import { startLlmStub } from '@inkflow/llm-stub'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { closeAfterEach } from '../helpers/close-after-each.js'
import { readStream } from '../helpers/sse-reader.js'
import {
  capturingLogger,
  createJob,
  startJob,
  startTestServer,
  stubModel,
  waitUntil,
} from '../helpers/test-server.js'

const closing = closeAfterEach()

const TOKEN = 'a-long-enough-secret-token'
const OPERATOR = 'the-operators-secret-token'

// Every route answered per token is access-table.test.ts; here, what a refusal carries.
describe('API_TOKEN and OPERATOR_TOKEN', () => {
  it('refuse with problems, and a near miss of either token like any wrong one', async () => {
    const stub = closing(await startLlmStub({ reply: () => ({ hangAfterTokens: 1 }) }))
    const server = closing(
      await startTestServer({
        llm: stubModel(stub.url),
        env: { API_TOKEN: TOKEN, OPERATOR_TOKEN: OPERATOR },
      }),
    )
    const api = request(server.baseUrl)
    const denied = await api.post('/api/jobs').send({ topic: 'tea' })
    expect(denied.status).toBe(401)
    expect(denied.headers['www-authenticate']).toBe('Bearer')
    expect(denied.headers['content-type']).toMatch(/problem\+json/)
    const nearMiss = await api.post('/api/jobs').set('Authorization', `Bearer ${TOKEN}x`)
    expect(nearMiss.status).toBe(401)
    const creator = { authorization: `Bearer ${TOKEN}` }
    const first = await startJob(server.baseUrl, 'first', creator)
    const second = await startJob(server.baseUrl, 'second', creator)
    const cancel = (token: string) =>
      api.post(`/api/jobs/${first.id}/cancel`).set('Authorization', `Bearer ${token}`)
    const wrong = await cancel(`${OPERATOR}x`)
    expect(wrong.status).toBe(403)
    expect(wrong.headers['content-type']).toMatch(/problem\+json/)
    // Another job's owner token is not this job's.
    expect((await cancel(second.ownerToken)).status).toBe(403)
    expect((await cancel(OPERATOR)).status).toBe(202)
  })
})

describe('owner tokens', () => {
  it('never show in a job, a list, an event, a log line or a metric', async () => {
    const { logger, lines } = capturingLogger('trace')
    const server = closing(
      await startTestServer({
        env: { API_TOKEN: TOKEN, OPERATOR_TOKEN: OPERATOR, DEMO_TOKEN_DELAY_MS: '0' },
        logger,
      }),
    )
    const api = request(server.baseUrl)
    const creator = { authorization: `Bearer ${TOKEN}` }
    const operator = { authorization: `Bearer ${OPERATOR}` }
    const post = () =>
      api.post('/api/jobs').set(creator).set('Idempotency-Key', 'k-1').send({ topic: 'tea' })
    const created = await post()
    const { id, ownerToken } = created.body as { id: string; ownerToken: string }
    expect((await post()).body.ownerToken).toBe(ownerToken)
    const hash = createHash('sha256').update(ownerToken).digest('base64url')
    const stream = await readStream(`${server.baseUrl}/api/jobs/${id}/events`)
    expect(stream.events.at(-1)?.type).toBe('job.completed')
    const cancel = await api
      .post(`/api/jobs/${id}/cancel`)
      .set('Authorization', `Bearer ${ownerToken}`)
    expect(cancel.status).toBe(409) // it was the owner, but the job had finished
    const seen = {
      job: (await api.get(`/api/jobs/${id}`)).text,
      list: (await api.get('/api/jobs').set(operator)).text,
      events: JSON.stringify(stream.events),
      cancel: cancel.text,
      metrics: (await api.get('/metrics').set(operator)).text,
    }
    await waitUntil(() => lines.some((l) => l.includes('/cancel')))
    expect(seen.job).toContain(id)
    expect(seen.list).toContain(id)
    expect(lines.length).toBeGreaterThan(5)
    for (const [where, text] of Object.entries({ ...seen, logs: lines.join('') })) {
      expect(text, where).not.toContain(ownerToken)
      expect(text, where).not.toContain(hash)
      expect(text, where).not.toContain(TOKEN)
      expect(text, where).not.toContain(OPERATOR)
    }
  })
})

describe('limits', () => {
  it('rate-limits job creation per client with a 429 problem and Retry-After', async () => {
    const server = closing(
      await startTestServer({
        env: { RATE_LIMIT_PER_MINUTE: '3', DEMO_TOKEN_DELAY_MS: '0' },
      }),
    )
    const statuses: number[] = []
    let limited: request.Response | undefined
    let id: string | undefined
    for (let i = 0; i < 5; i++) {
      const res = await request(server.baseUrl)
        .post('/api/jobs')
        .send({ topic: `t${i}` })
      statuses.push(res.status)
      if (res.status === 429) limited = res
      id ??= res.body.id
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429])
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0)
    expect(limited?.headers['content-type']).toMatch(/problem\+json/)
    // Reading is not limited.
    expect((await request(server.baseUrl).get(`/api/jobs/${id}`)).status).toBe(200)
  })

  it('answers 503 with Retry-After when MAX_QUEUED_JOBS are already waiting', async () => {
    const stub = closing(await startLlmStub({ reply: () => ({ hangAfterTokens: 1 }) }))
    const server = closing(
      await startTestServer({
        llm: stubModel(stub.url),
        env: { MAX_CONCURRENT_JOBS: '1', MAX_QUEUED_JOBS: '2' },
      }),
    )
    const statuses: number[] = []
    for (let i = 0; i < 5; i++)
      statuses.push(
        (
          await request(server.baseUrl)
            .post('/api/jobs')
            .send({ topic: `q${i}` })
        ).status,
      )
    // One runs, two wait, the rest are refused.
    expect(statuses).toEqual([202, 202, 202, 503, 503])
    const res = await request(server.baseUrl).post('/api/jobs').send({ topic: 'more' })
    expect(res.headers['retry-after']).toBe('10')
    expect(res.body.title).toBe('Queue full')
  })

  it('caps open streams per client', async () => {
    const stub = closing(await startLlmStub({ reply: () => ({ hangAfterTokens: 1 }) }))
    const server = closing(
      await startTestServer({
        llm: stubModel(stub.url),
        env: { MAX_STREAMS_PER_CLIENT: '2' },
      }),
    )
    const id = await createJob(server.baseUrl, 'busy')
    const controllers = [new AbortController(), new AbortController()]
    const open = await Promise.all(
      controllers.map((c) =>
        fetch(`${server.baseUrl}/api/jobs/${id}/events`, { signal: c.signal }),
      ),
    )
    expect(open.map((r) => r.status)).toEqual([200, 200])
    const third = await fetch(`${server.baseUrl}/api/jobs/${id}/events`)
    expect(third.status).toBe(429)
    expect(third.headers.get('content-type')).toMatch(/problem\+json/)
    controllers[0]!.abort()
    // The slot frees once the server sees the first stream close.
    await waitUntil(async () => {
      const res = await fetch(`${server.baseUrl}/api/jobs/${id}/events`, {
        signal: AbortSignal.timeout(2000),
      })
      if (res.status !== 200) return undefined
      await res.body?.cancel()
      return true
    })
    controllers[1]!.abort()
  })
})

describe('operations', () => {
  it('exports Prometheus metrics of jobs, events, streams and model calls', async () => {
    const server = closing(await startTestServer({ env: { DEMO_TOKEN_DELAY_MS: '0' } }))
    const id = await createJob(server.baseUrl)
    await readStream(`${server.baseUrl}/api/jobs/${id}/events`)
    const res = await request(server.baseUrl).get('/metrics')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/plain/)
    expect(res.text).toMatch(/^inkflow_jobs_created_total 1$/m)
    expect(res.text).toMatch(/^inkflow_jobs_finished_total\{status="completed"\} 1$/m)
    expect(res.text).toMatch(/^inkflow_job_duration_seconds_count\{status="completed"\} 1$/m)
    expect(res.text).toMatch(/^inkflow_events_appended_total\{type="token"\} [1-9]\d*$/m)
    expect(res.text).toMatch(
      /^inkflow_llm_request_duration_seconds_count\{task="section",outcome="ok"\} [3-6]$/m,
    )
    expect(res.text).toMatch(/^inkflow_llm_tokens_total\{kind="completion"\} [1-9]\d*$/m)
    expect(res.text).toMatch(/^inkflow_open_streams 0$/m)
  })

  it('counts model errors by code', async () => {
    const stub = closing(await startLlmStub({ reply: () => ({ status: 503 }) }))
    const server = closing(
      await startTestServer({
        llm: stubModel(stub.url),
        env: { LLM_MAX_ATTEMPTS: '2' },
      }),
    )
    const id = await createJob(server.baseUrl)
    const { events } = await readStream(`${server.baseUrl}/api/jobs/${id}/events`)
    expect(events.at(-1)?.type).toBe('job.failed')
    expect(stub.requests).toHaveLength(2)
    const res = await request(server.baseUrl).get('/metrics')
    expect(res.text).toMatch(/^inkflow_llm_errors_total\{code="llm_unavailable"\} 2$/m)
    expect(res.text).toMatch(/^inkflow_jobs_finished_total\{status="failed"\} 1$/m)
  })

  it('serves an OpenAPI 3.1 document generated from the shared schemas', async () => {
    const server = closing(await startTestServer())
    const res = await request(server.baseUrl).get('/api/openapi.json')
    expect(res.status).toBe(200)
    expect(res.body.openapi).toBe('3.1.0')
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/jobs',
        '/api/jobs/{id}',
        '/api/jobs/{id}/events',
        '/api/jobs/{id}/cancel',
        '/api/jobs/{id}/outline',
        '/api/config',
      ]),
    )
    const options = res.body.components.schemas.CreateJobBody.properties
    expect(options.tone).toMatchObject({ default: 'conversational' })
    expect(options.tone.enum).toEqual(['conversational', 'professional', 'playful'])
    const approve = res.body.paths['/api/jobs/{id}/outline'].put
    expect(Object.keys(approve.responses)).toEqual(
      expect.arrayContaining(['202', '401', '403', '404', '409', '422']),
    )
    expect(res.body.components.schemas.OutlineApproval.properties.sections).toMatchObject({
      minItems: 3,
      maxItems: 6,
    })
    const revise = res.body.paths['/api/jobs/{id}/revisions'].post
    expect(Object.keys(revise.responses)).toEqual(
      expect.arrayContaining(['202', '401', '403', '404', '409', '413', '422', '429']),
    )
    const instruction = res.body.components.schemas.CreateRevisionBody.properties.instruction
    expect(instruction).toMatchObject({ type: 'string', minLength: 1, maxLength: 500 })
    expect(options.language).toMatchObject({ type: 'string' })
    const topic = res.body.components.schemas.CreateJobBody.properties.topic
    expect(topic).toMatchObject({ type: 'string', minLength: 1, maxLength: 200 })
    const created = res.body.components.schemas.JobCreated
    expect(created.required).toEqual(expect.arrayContaining(['id', 'ownerToken', 'links']))
    expect(created.properties.ownerToken).toMatchObject({ type: 'string', minLength: 22 })
    const post = res.body.paths['/api/jobs'].post.responses
    expect(post[202].content['application/json'].schema.$ref).toMatch(/JobCreated$/)
    const cancel = res.body.paths['/api/jobs/{id}/cancel'].post
    expect(Object.keys(cancel.responses)).toEqual(expect.arrayContaining(['401', '403']))
    expect(res.body.paths['/api/jobs'].get.responses).toHaveProperty('403')
    const events = JSON.stringify(res.body.components.schemas.ProgressEvent)
    for (const type of [
      'job.queued',
      'job.waiting',
      'outline.approved',
      'token',
      'section.completed',
      'job.cancelled',
    ])
      expect(events).toContain(`"${type}"`)
  })

  it('logs one line per request with its id, method, url, status and duration', async () => {
    const { logger, records } = capturingLogger()
    const server = closing(await startTestServer({ logger }))
    await request(server.baseUrl)
      .post('/api/jobs')
      .set('X-Request-Id', 'trace-9')
      .send({ topic: 'tea' })
      .expect(202)
    await request(server.baseUrl).get('/healthz').expect(200)
    await request(server.baseUrl).get('/api/jobs/nope').expect(404)
    const requests = () => records().filter((l) => typeof l.reqId === 'string')
    await waitUntil(() => requests().length >= 2)
    expect(requests()).toHaveLength(2) // probes are not logged
    expect(requests()[0]).toMatchObject({
      reqId: 'trace-9',
      method: 'POST',
      url: '/api/jobs',
      status: 202,
    })
    expect(requests()[0]?.ms).toEqual(expect.any(Number))
    expect(requests()[1]).toMatchObject({ method: 'GET', url: '/api/jobs/nope', status: 404 })
  })

  it('echoes a request id, and sends security headers', async () => {
    const server = closing(await startTestServer())
    const given = await request(server.baseUrl).get('/healthz').set('X-Request-Id', 'trace-123')
    expect(given.headers['x-request-id']).toBe('trace-123')
    const made = await request(server.baseUrl)
      .get('/healthz')
      .set('X-Request-Id', 'bad id\twith tab')
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(made.headers['x-content-type-options']).toBe('nosniff')
    expect(made.headers['content-security-policy']).toBeDefined()
  })
})
