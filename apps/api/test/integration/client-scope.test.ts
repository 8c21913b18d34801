import { describe, expect, it } from 'vitest'
import { closeAfterEach } from '../helpers/close-after-each.js'
import { type HttpAnswer, httpFrom } from '../helpers/http-from.js'
import { startTestServer, type TestServer } from '../helpers/test-server.js'

// Loopback source addresses play the clients: 127.0.0.2 is A, 127.0.0.3 is B.
const A = '127.0.0.2'
const B = '127.0.0.3'

const closing = closeAfterEach()
let server: TestServer
/** Starts this test's server with `env`; it is closed after the test. */
const start = async (env: Record<string, string>) => {
  server = closing(await startTestServer({ env }))
}

const post = (from: string, headers: Record<string, string>, body: unknown = { topic: 'tea' }) =>
  httpFrom(from, `${server.baseUrl}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

const created = (res: HttpAnswer) => {
  expect(res.status).toBe(202)
  return JSON.parse(res.body) as { id: string; ownerToken: string }
}

const cancel = (from: string, id: string, token: string) =>
  httpFrom(from, `${server.baseUrl}/api/jobs/${id}/cancel`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  })

describe('an Idempotency-Key belongs to the client that sent it', () => {
  it('another client’s same key and body is another job; the same client gets its own back', async () => {
    await start({ DEMO_TOKEN_DELAY_MS: '50' })
    const key = { 'idempotency-key': 'article-2026-12-06' }
    const first = created(await post(A, key))
    const other = await post(B, key)
    const theirs = created(other)
    expect(other.headers['idempotent-replayed']).toBeUndefined()
    expect(theirs.id).not.toBe(first.id)
    expect(theirs.ownerToken).not.toBe(first.ownerToken)
    // B's token does not control A's job; A's own replay gives A its job and token back.
    expect((await cancel(B, first.id, theirs.ownerToken)).status).toBe(403)
    const replay = await post(A, key)
    expect(replay.headers['idempotent-replayed']).toBe('true')
    expect(created(replay)).toEqual({ ...first, status: expect.any(String) })
    // Still A's key: another body from A is a conflict, not a new job.
    expect((await post(A, key, { topic: 'coffee' })).status).toBe(422)
    // B's key is B's: it replays for B.
    expect(created(await post(B, key)).ownerToken).toBe(theirs.ownerToken)
  })

  it('a shared API token is no identity: the same token from another client is another key', async () => {
    const token = 'a-shared-api-token-0123'
    await start({ API_TOKEN: token, DEMO_TOKEN_DELAY_MS: '50' })
    const headers = { authorization: `Bearer ${token}`, 'idempotency-key': 'k-1' }
    const first = created(await post(A, headers))
    const second = created(await post(B, headers))
    expect(second.id).not.toBe(first.id)
    expect(second.ownerToken).not.toBe(first.ownerToken)
    expect(created(await post(A, headers)).ownerToken).toBe(first.ownerToken)
  })

  it('behind a trusted proxy, the forwarded client is the scope', async () => {
    await start({ TRUST_PROXY: '127.0.0.1', DEMO_TOKEN_DELAY_MS: '50' })
    const as = (client: string) => ({ 'x-forwarded-for': client, 'idempotency-key': 'k-2' })
    const first = created(await post('127.0.0.1', as('203.0.113.1')))
    const second = created(await post('127.0.0.1', as('203.0.113.2')))
    expect(second.id).not.toBe(first.id)
    // One IPv6 /56 is one client, as for the rate limit.
    const v6 = created(await post('127.0.0.1', as('2001:db8:0:100::1')))
    expect(created(await post('127.0.0.1', as('2001:db8:0:1ff::2'))).id).toBe(v6.id)
  })
})

describe('guessing tokens is throttled', () => {
  it('counts wrong tokens against the client’s rate limit: 429 after the limit', async () => {
    await start({
      RATE_LIMIT_PER_MINUTE: '3',
      DEMO_TOKEN_DELAY_MS: '50',
      OPERATOR_TOKEN: 'the-operators-token-0123',
    })
    const job = created(await post(A, {}))
    const guesses: number[] = []
    for (let i = 0; i < 5; i++) guesses.push((await cancel(B, job.id, `guess-${i}`)).status)
    expect(guesses).toEqual([403, 403, 403, 429, 429])
    const refused = await cancel(B, job.id, job.ownerToken)
    // At its limit the client learns nothing more, not even from the right token.
    expect(refused.status).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(refused.headers['content-type']).toMatch(/problem\+json/)
    // A wrong operator token on another route counts the same way, and so does creating.
    const list = (token: string) =>
      httpFrom(B, `${server.baseUrl}/api/jobs`, { headers: { authorization: `Bearer ${token}` } })
    expect((await list('nope')).status).toBe(429)
    expect((await post(B, {})).status).toBe(429)
    // The owner, another client, is not affected, and still controls the job.
    expect((await cancel(A, job.id, job.ownerToken)).status).toBe(202)
  })

  it('counts a wrong operator token when listing too', async () => {
    await start({ RATE_LIMIT_PER_MINUTE: '2', OPERATOR_TOKEN: 'the-operators-token-0123' })
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) {
      const res = await httpFrom(B, `${server.baseUrl}/api/jobs`, {
        headers: { authorization: `Bearer guess-${i}` },
      })
      statuses.push(res.status)
    }
    expect(statuses).toEqual([403, 403, 429, 429])
    const operator = { authorization: 'Bearer the-operators-token-0123' }
    expect((await httpFrom(A, `${server.baseUrl}/api/jobs`, { headers: operator })).status).toBe(
      200,
    )
  })
})
