import { DEFAULT_JOB_OPTIONS, JobSchema, ProblemSchema } from '@inkflow/shared'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventsOf, jobWhen, loggedEvents, postJob, wordCount } from '../helpers/job-client.js'
import { startTestServer, type TestServer } from '../helpers/test-server.js'

describe('job options', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ env: { DEMO_TOKEN_DELAY_MS: '0', MAX_CONCURRENT_JOBS: '4' } })
  })
  afterAll(() => server.close())

  it.each([
    ['an unknown tone', { tone: 'sarcastic' }, 'tone'],
    ['an unknown length', { length: 'epic' }, 'length'],
    ['an audience over 100 characters', { audience: 'x'.repeat(101) }, 'audience'],
    ['an audience that is not a string', { audience: 7 }, 'audience'],
    ['a reviewOutline that is not a boolean', { reviewOutline: 'yes' }, 'reviewOutline'],
    ['a language that is no BCP 47 tag', { language: 'English' }, 'language'],
    ['a language with an underscore', { language: 'en_US' }, 'language'],
    ['a language that is not a string', { language: 7 }, 'language'],
  ])('rejects %s with a 422 naming the field', async (_name, options, field) => {
    const res = await request(server.baseUrl)
      .post('/api/jobs')
      .send({ topic: 'tea', ...options })
    expect(res.status).toBe(422)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    const problem = ProblemSchema.parse(res.body)
    expect(problem.errors?.map((e) => e.path)).toEqual([field])
  })

  it('fills the defaults and returns them on the job and in job.queued', async () => {
    const { id } = await postJob(server.baseUrl, { topic: 'tea' })
    const job = JobSchema.parse((await request(server.baseUrl).get(`/api/jobs/${id}`)).body)
    expect(job.options).toEqual(DEFAULT_JOB_OPTIONS)
    const [queued] = await loggedEvents(server.storage.events, id)
    expect(queued).toMatchObject({ type: 'job.queued', seq: 1, options: DEFAULT_JOB_OPTIONS })
  })

  it('keeps the options sent, the audience trimmed, on the job and in job.queued', async () => {
    const body = {
      topic: 'tea',
      tone: 'playful',
      length: 'short',
      audience: '  nurses  ',
      language: 'pt-br',
    }
    const { id } = await postJob(server.baseUrl, body)
    // The language tag in its canonical form.
    const expected = {
      tone: 'playful',
      length: 'short',
      audience: 'nurses',
      language: 'pt-BR',
      reviewOutline: false,
    }
    const job = JobSchema.parse((await request(server.baseUrl).get(`/api/jobs/${id}`)).body)
    expect(job.options).toEqual(expected)
    const [queued] = await loggedEvents(server.storage.events, id)
    expect(queued).toMatchObject({ type: 'job.queued', options: expected })
  })

  it('treats options as part of the body for Idempotency-Key', async () => {
    const key = `options-${Date.now()}`
    const first = await postJob(
      server.baseUrl,
      { topic: 'tea', tone: 'professional' },
      {
        'idempotency-key': key,
      },
    )
    const replay = await request(server.baseUrl)
      .post('/api/jobs')
      .set('idempotency-key', key)
      .send({ topic: 'tea', tone: 'professional' })
    expect(replay.status).toBe(202)
    expect(replay.body.id).toBe(first.id)
    const other = await request(server.baseUrl)
      .post('/api/jobs')
      .set('idempotency-key', key)
      .send({ topic: 'tea', tone: 'playful' })
    expect(other.status).toBe(422)
    expect(other.body.title).toBe('Idempotency key reused')
  })

  it('counts options left out and the same options sent as defaults as one body', async () => {
    const key = `defaults-${Date.now()}`
    const first = await postJob(server.baseUrl, { topic: 'tea' }, { 'idempotency-key': key })
    const replay = await request(server.baseUrl)
      .post('/api/jobs')
      .set('idempotency-key', key)
      .send({ topic: 'tea', ...DEFAULT_JOB_OPTIONS })
    expect(replay.status).toBe(202)
    expect(replay.body.id).toBe(first.id)
  })

  it('writes a short article clearly shorter than a long one, the model following the prompts', async () => {
    const short = await postJob(server.baseUrl, { topic: 'bees', length: 'short' })
    const long = await postJob(server.baseUrl, { topic: 'bees', length: 'long' })
    const done = (job: { status: string }) => job.status === 'completed'
    const [a, b] = await Promise.all([
      jobWhen(server.baseUrl, short.id, done),
      jobWhen(server.baseUrl, long.id, done),
    ])
    const shortWords = wordCount(a.article?.markdown ?? '')
    const longWords = wordCount(b.article?.markdown ?? '')
    expect(shortWords).toBeGreaterThan(50)
    expect(longWords).toBeGreaterThan(shortWords * 3)
  })

  it('writes in the tone asked and for the audience named', async () => {
    const playful = await postJob(server.baseUrl, { topic: 'maps', tone: 'playful' })
    const professional = await postJob(server.baseUrl, {
      topic: 'maps',
      tone: 'professional',
      audience: 'city planners',
    })
    const done = (job: { status: string }) => job.status === 'completed'
    const [p, q] = await Promise.all([
      jobWhen(server.baseUrl, playful.id, done),
      jobWhen(server.baseUrl, professional.id, done),
    ])
    const fun = p.article?.markdown ?? ''
    const formal = q.article?.markdown ?? ''
    expect(fun).toMatch(/Plot twist:|Fun fact:|Spoiler alert:|Buckle up:|Drumroll, please:/)
    expect(fun).not.toMatch(/Notably,|In short,|Importantly,|To be precise,|As a rule,/)
    expect(formal).toMatch(/This article sets out what matters about maps/)
    expect(formal).not.toMatch(/Plot twist:|Fun fact:|Spoiler alert:/)
    // Every section of the draft, and the intro, speak to the audience.
    expect(formal).toContain('written for city planners')
    const sections = (q.article?.sections ?? []).map((s) => s.content)
    expect(sections.length).toBeGreaterThanOrEqual(3)
    for (const content of sections) expect(content).toMatch(/\bfor city planners,/i)
    expect(fun).not.toContain('city planners')
    // The stream carries the same: job.queued has the options.
    const events = await eventsOf(server.baseUrl, professional.id)
    expect(events[0]).toMatchObject({ type: 'job.queued', options: { tone: 'professional' } })
  })
})
