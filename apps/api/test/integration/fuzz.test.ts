import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jobWhen } from '../helpers/job-client.js'
import { createJob, startTestServer, type TestServer } from '../helpers/test-server.js'

/** Printable ASCII: what an HTTP client can put in a header value. */
const headerValue = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 80,
})
const anyText = fc.string({ unit: 'binary', maxLength: 300 })
const jsonBody = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .record({ topic: fc.oneof(anyText, fc.integer(), fc.constant(null)) })
    .map((v) => JSON.stringify(v)),
  anyText,
)
const contentType = fc.constantFrom(
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/merge-patch+json',
  '',
)
const pathSegment = fc.oneof(
  anyText.map(encodeURIComponent),
  fc.uuid(),
  fc.constantFrom('..', '%', '%00', '%ZZ', '.', ''),
)
const query = fc.dictionary(
  fc.constantFrom('limit', 'cursor', 'lastEventId', 'x'),
  fc.oneof(anyText, fc.integer().map(String)),
  { maxKeys: 3 },
)

interface Answer {
  status: number
  contentType: string
  body: string
}

/** Every answer must be a deliberate one: no 5xx, and every error a problem+json with no internals. */
function expectDeliberate(answer: Answer) {
  expect(answer.status).toBeLessThan(500)
  if (answer.status >= 400) {
    expect(answer.contentType).toMatch(/^application\/problem\+json/)
    const problem = JSON.parse(answer.body)
    expect(problem.status).toBe(answer.status)
    expect(answer.body).not.toMatch(/\bat .+:\d+:\d+/)
  }
}

/** The operator's token: with it, fuzzed requests get past the guards to the parsers. */
const OPERATOR = 'fuzzing-operator-token'

describe('hostile input, thrown at every route', () => {
  let server: TestServer
  let finishedJob: string
  beforeAll(async () => {
    server = await startTestServer({
      env: {
        DEMO_TOKEN_DELAY_MS: '0',
        RATE_LIMIT_PER_MINUTE: '0',
        MAX_QUEUED_JOBS: '100000',
        OPERATOR_TOKEN: OPERATOR,
      },
    })
    finishedJob = await createJob(server.baseUrl, 'fuzz target', {
      authorization: `Bearer ${OPERATOR}`,
    })
    await jobWhen(server.baseUrl, finishedJob, (job) => job.status === 'completed')
  })
  afterAll(() => server.close())

  async function send(
    method: string,
    path: string,
    init: { body?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method,
      body: init.body,
      headers: init.headers,
      signal: AbortSignal.timeout(5000),
    })
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      body: await res.text(),
    }
  }

  it('POST /api/jobs: random bodies, content types and idempotency keys', async () => {
    await fc.assert(
      fc.asyncProperty(jsonBody, contentType, fc.option(headerValue), async (body, type, key) => {
        const headers: Record<string, string> = { authorization: `Bearer ${OPERATOR}` }
        if (type) headers['content-type'] = type
        if (key !== null) headers['idempotency-key'] = key
        const answer = await send('POST', '/api/jobs', { body, headers })
        expectDeliberate(answer)
        if (answer.status === 202) expect(JSON.parse(answer.body).id).toEqual(expect.any(String))
      }),
      { numRuns: 1000 },
    )
  })

  it('GET /api/jobs: random query strings', async () => {
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const headers = { authorization: `Bearer ${OPERATOR}` }
        expectDeliberate(await send('GET', `/api/jobs?${new URLSearchParams(q)}`, { headers }))
      }),
      { numRuns: 500 },
    )
  })

  it('GET, cancel and events of random ids, with random Authorization headers', async () => {
    const authorization = fc.oneof(
      fc.constant(undefined),
      fc.constant(`Bearer ${OPERATOR}`),
      headerValue,
      headerValue.map((v) => `Bearer ${v}`),
    )
    await fc.assert(
      fc.asyncProperty(
        pathSegment,
        fc.constantFrom('', '/cancel', '/events'),
        authorization,
        async (id, suffix, auth) => {
          const answer = await send(
            suffix === '/cancel' ? 'POST' : 'GET',
            `/api/jobs/${id}${suffix}`,
            { headers: auth === undefined ? {} : { authorization: auth } },
          )
          expectDeliberate(answer)
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('the event stream of a real job: random Last-Event-ID headers and queries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.option(headerValue), fc.option(anyText), async (header, q) => {
        const headers: Record<string, string> = header === null ? {} : { 'last-event-id': header }
        const qs = q === null ? '' : `?lastEventId=${encodeURIComponent(q)}`
        const answer = await send('GET', `/api/jobs/${finishedJob}/events${qs}`, { headers })
        expectDeliberate(answer)
        if (answer.status === 200) expect(answer.contentType).toMatch(/^text\/event-stream/)
      }),
      { numRuns: 500 },
    )
  })

  it('random methods and paths', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
        fc.array(pathSegment, { maxLength: 4 }),
        async (method, parts) => {
          expectDeliberate(await send(method, `/${parts.join('/')}`))
        },
      ),
      { numRuns: 500 },
    )
  })
})
