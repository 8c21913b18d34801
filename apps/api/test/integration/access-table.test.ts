import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { httpFrom } from '../helpers/http-from.js'
import { openStream } from '../helpers/sse-reader.js'
import { startTestServer, type TestServer, waitUntil } from '../helpers/test-server.js'

// Who may do what (DESIGN.md): every route, asked with no token, a wrong one, the job's
// owner token, the API token and the operator token, answers as the contract says.

const API = 'the-shared-api-token-0123'
const OPERATOR = 'the-operators-token-0123'
type Who = 'none' | 'wrong' | 'owner' | 'api' | 'operator'
const WHO: Who[] = ['none', 'wrong', 'owner', 'api', 'operator']

interface Route {
  name: string
  /** Answers per token, in the order of `WHO`. */
  expected: Record<Who, number>
  /** Sends the request with `authorization` (undefined: none) about a fresh waiting job. */
  send(authorization: string | undefined, job: { id: string; outline: unknown }): Promise<number>
}

let server: TestServer
let client = 0
/** Requests from many loopback addresses: the table is not about any per-client limit. */
const nextClient = () => `127.0.0.${10 + (client++ % 240)}`

async function request(
  method: string,
  path: string,
  authorization: string | undefined,
  body?: unknown,
): Promise<number> {
  const headers: Record<string, string> = {}
  if (authorization) headers.authorization = authorization
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await httpFrom(nextClient(), `${server.baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return res.status
}

/** A job waiting for its outline review (so cancel and approval both apply), and its owner token. */
async function waitingJob(): Promise<{ id: string; ownerToken: string; outline: unknown }> {
  const res = await httpFrom(nextClient(), `${server.baseUrl}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API}` },
    body: JSON.stringify({ topic: 'tea', reviewOutline: true }),
  })
  expect(res.status).toBe(202)
  const { id, ownerToken } = JSON.parse(res.body) as { id: string; ownerToken: string }
  const outline = await waitUntil(async () => {
    const job = JSON.parse((await httpFrom(nextClient(), `${server.baseUrl}/api/jobs/${id}`)).body)
    return job.status === 'waiting' ? job.outline : undefined
  })
  return { id, ownerToken, outline }
}

const ROUTES: Route[] = [
  {
    name: 'POST /api/jobs',
    expected: { none: 401, wrong: 401, owner: 401, api: 202, operator: 401 },
    send: (auth) => request('POST', '/api/jobs', auth, { topic: 'tea', reviewOutline: true }),
  },
  {
    name: 'GET /api/jobs',
    expected: { none: 401, wrong: 403, owner: 403, api: 403, operator: 200 },
    send: (auth) => request('GET', '/api/jobs', auth),
  },
  {
    name: 'GET /api/jobs/{id}',
    expected: { none: 200, wrong: 200, owner: 200, api: 200, operator: 200 },
    send: (auth, job) => request('GET', `/api/jobs/${job.id}`, auth),
  },
  {
    name: 'GET /api/jobs/{id}/events',
    expected: { none: 200, wrong: 200, owner: 200, api: 200, operator: 200 },
    // Past the end of a job that waits: the head arrives, then the test closes it.
    send: async (auth, job) => {
      const headers: Record<string, string> = { 'last-event-id': '999' }
      if (auth) headers.authorization = auth
      const url = `${server.baseUrl}/api/jobs/${job.id}/events`
      const stream = await openStream(url, { from: nextClient(), headers })
      stream.close()
      return stream.status
    },
  },
  {
    name: 'POST /api/jobs/{id}/cancel',
    expected: { none: 401, wrong: 403, owner: 202, api: 403, operator: 202 },
    send: (auth, job) => request('POST', `/api/jobs/${job.id}/cancel`, auth),
  },
  {
    name: 'PUT /api/jobs/{id}/outline',
    expected: { none: 401, wrong: 403, owner: 202, api: 403, operator: 202 },
    send: (auth, job) => request('PUT', `/api/jobs/${job.id}/outline`, auth, job.outline),
  },
  {
    name: 'GET /metrics',
    expected: { none: 401, wrong: 403, owner: 403, api: 403, operator: 200 },
    send: (auth) => request('GET', '/metrics', auth),
  },
  {
    name: 'GET /api/config',
    expected: { none: 200, wrong: 200, owner: 200, api: 200, operator: 200 },
    send: (auth) => request('GET', '/api/config', auth),
  },
]

describe('who may do what, route by token (API_TOKEN and OPERATOR_TOKEN set)', () => {
  beforeAll(async () => {
    server = await startTestServer({
      env: {
        API_TOKEN: API,
        OPERATOR_TOKEN: OPERATOR,
        DEMO_TOKEN_DELAY_MS: '0',
        RATE_LIMIT_PER_MINUTE: '1000',
      },
    })
  })
  afterAll(() => server.close())

  it.each(ROUTES)('$name', async (route) => {
    const answers: Record<string, number> = {}
    for (const who of WHO) {
      const job = await waitingJob()
      const authorization = {
        none: undefined,
        wrong: 'Bearer not-any-token-at-all-0000',
        owner: `Bearer ${job.ownerToken}`,
        api: `Bearer ${API}`,
        operator: `Bearer ${OPERATOR}`,
      }[who]
      answers[who] = await route.send(authorization, job)
    }
    expect(answers).toEqual(route.expected)
  })
})

describe('who may do what with neither token set', () => {
  beforeAll(async () => {
    server = await startTestServer({ env: { DEMO_TOKEN_DELAY_MS: '0' } })
  })
  afterAll(() => server.close())

  it('anyone creates and reads /metrics; nobody lists; only the owner controls', async () => {
    const job = await waitingJob()
    const other = await waitingJob()
    const wrong = 'Bearer not-any-token-at-all-0000'
    expect(await request('POST', '/api/jobs', undefined, { topic: 'tea' })).toBe(202)
    expect(await request('POST', '/api/jobs', wrong, { topic: 'tea' })).toBe(202)
    for (const auth of [undefined, wrong, `Bearer ${job.ownerToken}`]) {
      expect(await request('GET', '/api/jobs', auth)).toBe(403)
      expect(await request('GET', '/metrics', auth)).toBe(200)
    }
    expect(await request('POST', `/api/jobs/${job.id}/cancel`, undefined)).toBe(401)
    expect(await request('POST', `/api/jobs/${job.id}/cancel`, `Bearer ${other.ownerToken}`)).toBe(
      403,
    )
    expect(await request('POST', `/api/jobs/${job.id}/cancel`, `Bearer ${job.ownerToken}`)).toBe(
      202,
    )
  })
})
