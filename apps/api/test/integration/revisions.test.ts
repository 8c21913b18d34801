import { startLlmStub } from '@inkflow/llm-stub'
import { type Job, JobCreatedSchema, ProblemSchema, type ProgressEvent } from '@inkflow/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { httpFrom } from '../helpers/http-from.js'
import {
  completedJob,
  eventsOf,
  jobWhen,
  postJob,
  postRevision,
  putOutline,
  wordCount,
} from '../helpers/review-client.js'
import {
  cancelJob,
  getJob,
  startTestServer,
  stubModel,
  type TestServer,
} from '../helpers/test-server.js'

const OPERATOR = 'operator-token-0123456789'
const done = (job: Job) => job.status === 'completed'

/** The 202 of a revision: parsed, with its Location checked. */
async function accepted(res: Response) {
  expect(res.status).toBe(202)
  const body = JobCreatedSchema.parse(await res.json())
  expect(res.headers.get('location')).toBe(`/api/jobs/${body.id}`)
  expect(body.links).toEqual({
    self: `/api/jobs/${body.id}`,
    events: `/api/jobs/${body.id}/events`,
  })
  return body
}

async function problem(res: Response, status: number) {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  return ProblemSchema.parse(await res.json())
}

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

/** The events of a revision, in order, with what it must hold. */
function checkRevisionEvents(events: ProgressEvent[], index: number, title: string) {
  const types = events.map((e) => (e.type === 'token' ? 'token' : e.type))
  const shape = types.filter((t, i) => t !== 'token' || types[i - 1] !== 'token')
  expect(shape).toEqual([
    'job.queued',
    'job.started',
    'step.started',
    'section.started',
    'token',
    'section.completed',
    'step.completed',
    'job.completed',
  ])
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
  const progress = events.map((e) => e.progress)
  expect(progress).toEqual([...progress].sort((a, b) => a - b))
  expect(progress.at(-1)).toBe(100)
  expect(events.find((e) => e.type === 'step.started')).toMatchObject({
    step: 'revise',
    progress: 0,
  })
  expect(events.find((e) => e.type === 'step.completed')).toMatchObject({ step: 'revise' })
  expect(events.find((e) => e.type === 'section.started')).toMatchObject({ index, title })
  const tokens = events.filter((e) => e.type === 'token')
  for (const token of tokens) expect(token).toMatchObject({ step: 'revise', index })
  const completed = events.find((e) => e.type === 'section.completed')
  if (completed?.type !== 'section.completed') throw new Error('no section.completed')
  expect(completed).toMatchObject({ index, title })
  expect(tokens.map((t) => (t.type === 'token' ? t.text : '')).join('')).toBe(completed.content)
  return completed.content
}

describe('a revision job', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ env: { DEMO_TOKEN_DELAY_MS: '0', JOB_TTL: '1h' } })
  })
  afterAll(() => server.close())

  it('streams one section rewritten; its article is the original with only that section replaced', async () => {
    const original = await completedJob(server.baseUrl, { topic: 'tea', tone: 'professional' })
    const before = original.job
    const beforeEvents = await eventsOf(server.baseUrl, original.id)
    const base = before.article!
    const ask = { section: 1, instruction: 'shorter, with one example' }
    const { id } = await accepted(
      await postRevision(server.baseUrl, original.id, original.ownerToken, ask),
    )
    const revised = await jobWhen(server.baseUrl, id, done)
    const events = await eventsOf(server.baseUrl, id)
    const content = checkRevisionEvents(events, 1, base.sections[1]!.title)
    const revisionOf = { jobId: original.id, ...ask }
    expect(events[0]).toMatchObject({ topic: 'tea', options: before.options, revisionOf })

    expect(revised).toMatchObject({ topic: 'tea', options: before.options, revisionOf })
    expect(revised.outline).toEqual(before.outline)
    expect(revised.expiresAt).toBeDefined()
    const article = revised.article!
    expect(article.title).toBe(base.title)
    expect(article.language).toBe(base.language)
    expect(article.sections).toHaveLength(base.sections.length)
    article.sections.forEach((section, i) => {
      if (i === 1)
        expect(section).toEqual({ title: base.sections[1]!.title, content: content.trim() })
      else expect(section).toEqual(base.sections[i])
    })
    // The demo model did as asked: shorter, with an example.
    expect(wordCount(content)).toBeLessThan(wordCount(base.sections[1]!.content))
    expect(content).toMatch(/example/i)
    // The Markdown is rebuilt around the new section; the introduction stays.
    expect(article.markdown).toContain(content.trim())
    expect(article.markdown).not.toContain(base.sections[1]!.content)
    expect(article.markdown).toContain(base.sections[2]!.content)
    const intro = base.markdown.split('\n\n')[1]!
    expect(article.markdown.startsWith(`# ${base.title}\n\n${intro}\n\n## `)).toBe(true)
    expect(events.at(-1)).toMatchObject({ type: 'job.completed', article })

    // The original never changes: its view, its log.
    expect(await getJob(server.baseUrl, original.id)).toEqual(before)
    expect(await eventsOf(server.baseUrl, original.id)).toEqual(beforeEvents)
  })

  it('revises a revision: a chain whose every version keeps its own article', async () => {
    const v1 = await completedJob(server.baseUrl, { topic: 'bicycles' })
    const first = { section: 0, instruction: 'longer, with more detail' }
    const v2 = await accepted(await postRevision(server.baseUrl, v1.id, v1.ownerToken, first))
    const v2Job = await jobWhen(server.baseUrl, v2.id, done)
    const second = { section: 2, instruction: 'add an example about Amsterdam' }
    const v3 = await accepted(await postRevision(server.baseUrl, v2.id, v2.ownerToken, second))
    const v3Job = await jobWhen(server.baseUrl, v3.id, done)
    const events = await eventsOf(server.baseUrl, v3.id)
    checkRevisionEvents(events, 2, v2Job.article!.sections[2]!.title)
    expect(v3Job.revisionOf).toEqual({ jobId: v2.id, ...second })
    expect(v2Job.revisionOf).toEqual({ jobId: v1.id, ...first })
    const [a, b, c] = [v1.job.article!, v2Job.article!, v3Job.article!]
    expect(b.sections[0]!.content).not.toBe(a.sections[0]!.content)
    expect(c.sections[0]).toEqual(b.sections[0])
    expect(c.sections[2]!.content).toContain('Amsterdam')
    expect(c.sections[2]!.content).not.toBe(b.sections[2]!.content)
    expect(c.sections[1]).toEqual(a.sections[1])
    expect((await getJob(server.baseUrl, v1.id)).article).toEqual(a)
    expect((await getJob(server.baseUrl, v2.id)).article).toEqual(b)
    // Each version has its own owner: v1's token does not control v2.
    const byOther = await postRevision(server.baseUrl, v2.id, v1.ownerToken, second)
    expect(byOther.status).toBe(403)
  })

  it('revises a job that had its outline reviewed: one revise step, no waiting', async () => {
    const { id, ownerToken } = await postJob(server.baseUrl, {
      topic: 'kites',
      reviewOutline: true,
    })
    const waiting = await jobWhen(server.baseUrl, id, (j) => j.status === 'waiting')
    expect((await putOutline(server.baseUrl, id, ownerToken, waiting.outline)).status).toBe(202)
    const original = await jobWhen(server.baseUrl, id, done)
    const ask = { section: 0, instruction: 'shorter' }
    const revision = await accepted(await postRevision(server.baseUrl, id, ownerToken, ask))
    const revised = await jobWhen(server.baseUrl, revision.id, done)
    expect(revised.options.reviewOutline).toBe(true)
    checkRevisionEvents(
      await eventsOf(server.baseUrl, revision.id),
      0,
      original.article!.sections[0]!.title,
    )
  })
})
