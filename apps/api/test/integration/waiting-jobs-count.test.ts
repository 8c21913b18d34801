import { describe, expect, it } from 'vitest'
import { closeAfterEach } from '../helpers/close-after-each.js'
import { httpFrom } from '../helpers/http-from.js'
import { getJob, startTestServer, type TestServer, waitUntil } from '../helpers/test-server.js'

// Jobs waiting for their outline review count like the others: in the queue bound, and in
// their client's daily budget when they are approved.

const closing = closeAfterEach()
let server: TestServer
/** Starts this test's server with `env`; it is closed after the test. */
const start = async (env: Record<string, string>) => {
  server = closing(await startTestServer({ env }))
}

async function reviewJob(from: string) {
  const res = await httpFrom(from, `${server.baseUrl}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ topic: 'tea', reviewOutline: true }),
  })
  expect(res.status).toBe(202)
  const { id, ownerToken } = JSON.parse(res.body) as { id: string; ownerToken: string }
  const job = await waitUntil(async () => {
    const now = await getJob(server.baseUrl, id)
    return now.status === 'waiting' ? now : undefined
  })
  return { id, ownerToken, outline: job.outline! }
}

const approve = (from: string, id: string, token: string, outline: unknown) =>
  httpFrom(from, `${server.baseUrl}/api/jobs/${id}/outline`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(outline),
  })

describe('waiting jobs', () => {
  it('count in MAX_QUEUED_JOBS', async () => {
    await start({ MAX_QUEUED_JOBS: '2', DEMO_TOKEN_DELAY_MS: '0' })
    await reviewJob('127.0.0.2')
    await reviewJob('127.0.0.3')
    const refused = await httpFrom('127.0.0.4', `${server.baseUrl}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic: 'coffee' }),
    })
    expect(refused.status).toBe(503)
    expect(JSON.parse(refused.body).title).toBe('Queue full')
    expect(refused.headers['retry-after']).toBe('10')
  })

  it('are not approved once their owner spent the daily budget: 429 with the reset, and they keep waiting', async () => {
    const operator = 'the-operators-token-0123'
    await start({
      DAILY_TOKENS_PER_CLIENT: '100',
      DEMO_TOKEN_DELAY_MS: '0',
      OPERATOR_TOKEN: operator,
    })
    // The outline call alone spends more than 100 tokens of the client's budget.
    const job = await reviewJob('127.0.0.2')
    expect(await server.storage.spend.spent('127.0.0.2')).toBeGreaterThanOrEqual(100)
    const refused = await approve('127.0.0.2', job.id, job.ownerToken, job.outline)
    expect(refused.status).toBe(429)
    const problem = JSON.parse(refused.body) as { title: string; detail: string }
    expect(problem.title).toBe('Token budget spent')
    const tomorrow = new Date()
    tomorrow.setUTCHours(24, 0, 0, 0)
    expect(problem.detail).toContain(`resets at ${tomorrow.toISOString()}`)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    // It is the owner's budget, whoever approves: the operator from elsewhere gets 429 too.
    expect((await approve('127.0.0.9', job.id, operator, job.outline)).status).toBe(429)
    const still = await getJob(server.baseUrl, job.id)
    expect(still.status).toBe('waiting')
    expect(still.progress).toBe(30)
  })
})
