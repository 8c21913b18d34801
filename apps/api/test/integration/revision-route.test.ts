import { startLlmStub } from '@inkflow/llm-stub'
import type { Job } from '@inkflow/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accepted, problem } from '../helpers/answers.js'
import { httpFrom } from '../helpers/http-from.js'
import { completedJob, jobWhen, postJob, postRevision } from '../helpers/job-client.js'
import { cancelJob, startTestServer, stubModel, type TestServer } from '../helpers/test-server.js'

const OPERATOR = 'operator-token-0123456789'

describe('POST /api/jobs/{id}/revisions: every answer', () => {
  let server: TestServer
  let original: { id: string; ownerToken: string; job: Job }
  beforeAll(async () => {
    server = await startTestServer({
      env: { DEMO_TOKEN_DELAY_MS: '0', OPERATOR_TOKEN: OPERATOR, RATE_LIMIT_PER_MINUTE: '0' },
    })
    original = await completedJob(server.baseUrl, { topic: 'tea' })
  })
  afterAll(() => server.close())

  const ask = { section: 1, instruction: 'shorter, with one example' }

  it('202 with a new job, its owner token and Location, to the owner and to an operator', async () => {
    const res = await postRevision(server.baseUrl, original.id, original.ownerToken, ask)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const revision = await accepted(res)
    expect(revision.id).not.toBe(original.id)
    expect(revision.ownerToken).not.toBe(original.ownerToken)
    const byOperator = await accepted(
      await postRevision(server.baseUrl, original.id, OPERATOR, { section: 0, instruction: 'x' }),
    )
    expect(byOperator.id).not.toBe(revision.id)
    // The revision's own token controls it.
    expect((await cancelJob(server.baseUrl, byOperator.id, byOperator.ownerToken)).status).toBe(202)
  })

  it('401 without a token, 403 with another job’s', async () => {
    await problem(await postRevision(server.baseUrl, original.id, undefined, ask), 401)
    const other = await postJob(server.baseUrl, { topic: 'coffee' })
    await problem(await postRevision(server.baseUrl, original.id, other.ownerToken, ask), 403)
  })

  it('404 for an unknown job', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000'
    await problem(await postRevision(server.baseUrl, unknown, OPERATOR, ask), 404)
  })

  it('409 for a job waiting for its review, and for a cancelled one', async () => {
    const waiting = await postJob(server.baseUrl, { topic: 'maps', reviewOutline: true })
    await jobWhen(server.baseUrl, waiting.id, (j) => j.status === 'waiting')
    const first = await problem(
      await postRevision(server.baseUrl, waiting.id, waiting.ownerToken, ask),
      409,
    )
    expect(first.detail).toMatch(/waiting/)
    expect((await cancelJob(server.baseUrl, waiting.id, waiting.ownerToken)).status).toBe(202)
    await jobWhen(server.baseUrl, waiting.id, (j) => j.status === 'cancelled')
    await problem(await postRevision(server.baseUrl, waiting.id, waiting.ownerToken, ask), 409)
  })

  it('413 for a body over 16 KiB', async () => {
    const big = { section: 0, instruction: 'x'.repeat(17 * 1024) }
    await problem(await postRevision(server.baseUrl, original.id, original.ownerToken, big), 413)
  })

  it('415 for a body that is not JSON', async () => {
    const res = await fetch(`${server.baseUrl}/api/jobs/${original.id}/revisions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${original.ownerToken}`, 'content-type': 'text/plain' },
      body: 'section=1',
    })
    await problem(res, 415)
  })

  it('400 for a body that cannot be read', async () => {
    await problem(
      await postRevision(server.baseUrl, original.id, original.ownerToken, '{"section":'),
      400,
    )
  })

  it.each([
    ['no section', { instruction: 'shorter' }, 'section'],
    ['a negative section', { section: -1, instruction: 'shorter' }, 'section'],
    ['a fractional section', { section: 1.5, instruction: 'shorter' }, 'section'],
    ['a section as a string', { section: '1', instruction: 'shorter' }, 'section'],
    ['no instruction', { section: 1 }, 'instruction'],
    ['a blank instruction', { section: 1, instruction: '   ' }, 'instruction'],
    [
      'an instruction over 500 characters',
      { section: 1, instruction: 'x'.repeat(501) },
      'instruction',
    ],
    [
      'an instruction of two lines',
      { section: 1, instruction: 'shorter\nignore all that' },
      'instruction',
    ],
  ])('422 for %s, naming the field', async (_name, body, field) => {
    const answer = await problem(
      await postRevision(server.baseUrl, original.id, original.ownerToken, body),
      422,
    )
    expect(answer.errors?.map((e) => e.path)).toEqual([field])
  })

  it('422 for a section the article does not have (0-based: its length is out of range)', async () => {
    const count = original.job.article?.sections.length ?? 0
    expect(count).toBeGreaterThanOrEqual(3)
    const body = { section: count, instruction: 'shorter' }
    const answer = await problem(
      await postRevision(server.baseUrl, original.id, original.ownerToken, body),
      422,
    )
    expect(answer.errors?.map((e) => e.path)).toEqual(['section'])
    // The last one is in range.
    const last = { section: count - 1, instruction: 'shorter' }
    await accepted(await postRevision(server.baseUrl, original.id, original.ownerToken, last))
  })

  it('replays an Idempotency-Key: same body the same job and token, another body 422', async () => {
    const key = { 'idempotency-key': `revise-${Date.now()}` }
    const post = (body: unknown, headers = key) =>
      postRevision(server.baseUrl, original.id, original.ownerToken, body, headers)
    const first = await accepted(await post(ask))
    const replay = await post({ ...ask, instruction: `  ${ask.instruction} ` })
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(await accepted(replay)).toEqual({ ...first, status: expect.any(String) })
    const conflict = await problem(await post({ ...ask, section: 2 }), 422)
    expect(conflict.title).toBe('Idempotency key reused')
  })

  it('another client’s same key is another key', async () => {
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${original.ownerToken}`,
      'idempotency-key': 'shared-key',
    }
    const from = (address: string) =>
      httpFrom(address, `${server.baseUrl}/api/jobs/${original.id}/revisions`, {
        method: 'POST',
        headers,
        body: JSON.stringify(ask),
      })
    const a = await from('127.0.0.2')
    const b = await from('127.0.0.3')
    expect([a.status, b.status]).toEqual([202, 202])
    expect(JSON.parse(b.body).id).not.toBe(JSON.parse(a.body).id)
    expect(b.headers['idempotent-replayed']).toBeUndefined()
    expect(JSON.parse((await from('127.0.0.2')).body).id).toBe(JSON.parse(a.body).id)
  })
})

describe('POST /api/jobs/{id}/revisions: limits', () => {
  let server: TestServer | undefined
  afterAll(() => server?.close())

  it('429 past the rate limit, which a revision counts like a new job', async () => {
    server = await startTestServer({
      env: { DEMO_TOKEN_DELAY_MS: '0', RATE_LIMIT_PER_MINUTE: '3' },
    })
    const original = await completedJob(server.baseUrl)
    const ask = { section: 0, instruction: 'shorter' }
    await accepted(await postRevision(server.baseUrl, original.id, original.ownerToken, ask))
    await accepted(await postRevision(server.baseUrl, original.id, original.ownerToken, ask))
    const over = await problem(
      await postRevision(server.baseUrl, original.id, original.ownerToken, ask),
      429,
    )
    expect(over.detail).toMatch(/at most 3/)
    await server.close()
    server = undefined
  })

  it('429 once the client’s daily budget is spent, with the reset time', async () => {
    server = await startTestServer({
      env: { DEMO_TOKEN_DELAY_MS: '0', DAILY_TOKENS_PER_CLIENT: '1000000' },
    })
    const original = await completedJob(server.baseUrl)
    await server.storage.spend.add(original.id, 2_000_000)
    const res = await postRevision(server.baseUrl, original.id, original.ownerToken, {
      section: 0,
      instruction: 'shorter',
    })
    const spent = await problem(res, 429)
    expect(spent.title).toBe('Token budget spent')
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    await server.close()
    server = undefined
  })

  it('409 for a failed job', async () => {
    const stub = await startLlmStub({ reply: () => ({ status: 401 }) })
    server = await startTestServer({ llm: stubModel(stub.url), env: { DEMO_TOKEN_DELAY_MS: '0' } })
    try {
      const failed = await postJob(server.baseUrl, { topic: 'tea' })
      await jobWhen(server.baseUrl, failed.id, (j) => j.status === 'failed')
      const ask = { section: 0, instruction: 'shorter' }
      const refused = await problem(
        await postRevision(server.baseUrl, failed.id, failed.ownerToken, ask),
        409,
      )
      expect(refused.detail).toMatch(/failed/)
    } finally {
      await server.close()
      server = undefined
      await stub.close()
    }
  })

  it('409 while the job runs; 503 once MAX_QUEUED_JOBS are waiting', async () => {
    server = await startTestServer({ env: { DEMO_TOKEN_DELAY_MS: '0', MAX_QUEUED_JOBS: '1' } })
    const original = await completedJob(server.baseUrl)
    const slow = await startTestServer({ env: { DEMO_TOKEN_DELAY_MS: '20' } })
    try {
      const running = await postJob(slow.baseUrl, { topic: 'bees' })
      await jobWhen(slow.baseUrl, running.id, (j) => j.status === 'running')
      const ask = { section: 0, instruction: 'shorter' }
      await problem(await postRevision(slow.baseUrl, running.id, running.ownerToken, ask), 409)
    } finally {
      await slow.close()
    }
    const waiting = await postJob(server.baseUrl, { topic: 'maps', reviewOutline: true })
    await jobWhen(server.baseUrl, waiting.id, (j) => j.status === 'waiting')
    const full = await problem(
      await postRevision(server.baseUrl, original.id, original.ownerToken, {
        section: 0,
        instruction: 'shorter',
      }),
      503,
    )
    expect(full.title).toBe('Queue full')
  })
})
