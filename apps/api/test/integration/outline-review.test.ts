import {
  type Job,
  JobAcceptedSchema,
  JobSchema,
  ProblemSchema,
  type ProgressEvent,
} from '@inkflow/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventsOf, jobWhen, loggedEvents, postJob, putOutline } from '../helpers/job-client.js'
import { cancelJob, startTestServer, type TestServer } from '../helpers/test-server.js'

const waiting = (job: Job) => job.status === 'waiting'
const completed = (job: Job) => job.status === 'completed'
const ofType = <T extends ProgressEvent['type']>(events: ProgressEvent[], type: T) =>
  events.filter((e): e is Extract<ProgressEvent, { type: T }> => e.type === type)

async function problemOf(res: Response, status: number) {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  return ProblemSchema.parse(await res.json())
}

describe('outline review', () => {
  let server: TestServer
  /** Starts a job that asks for a review and waits until it waits. */
  const waitingJob = async (topic = 'tea') => {
    const created = await postJob(server.baseUrl, { topic, reviewOutline: true })
    const job = await jobWhen(server.baseUrl, created.id, waiting)
    return { ...created, job }
  }

  beforeAll(async () => {
    server = await startTestServer({ env: { DEMO_TOKEN_DELAY_MS: '0', MAX_CONCURRENT_JOBS: '2' } })
  })
  afterAll(() => server.close())

  it('stops after the outline, announces job.waiting and shows the proposal', async () => {
    const before = Date.now()
    const { id, job } = await waitingJob('green tea')
    expect(job).toMatchObject({ status: 'waiting', progress: 30, step: 'outline' })
    expect(job.options.reviewOutline).toBe(true)
    const events = await loggedEvents(server.storage.events, id)
    const ready = ofType(events, 'outline.ready')
    expect(ready).toHaveLength(1)
    expect(job.outline).toEqual({ title: ready[0]?.title, sections: ready[0]?.sections })
    const last = events.at(-1)
    expect(last?.type).toBe('job.waiting')
    if (last?.type !== 'job.waiting') return
    expect(last).toMatchObject({ for: 'outline', progress: 30 })
    const expiresIn = Date.parse(last.expiresAt) - before
    expect(expiresIn).toBeGreaterThan(86_400_000 - 60_000)
    expect(expiresIn).toBeLessThanOrEqual(86_400_000 + 60_000)
    expect(ofType(events, 'section.started')).toHaveLength(0)
  })

  it('approves the outline unchanged: 202 with the job, outline.approved not edited, then completes', async () => {
    const { id, ownerToken, job } = await waitingJob('oolong')
    const proposal = job.outline!
    const res = await putOutline(server.baseUrl, id, ownerToken, proposal)
    expect(res.status).toBe(202)
    const answer = JobSchema.parse(await res.json())
    expect(answer).toMatchObject({ id, status: 'queued', outline: proposal })
    expect(Object.keys(answer)).not.toContain('ownerTokenHash')
    const done = await jobWhen(server.baseUrl, id, completed)
    expect(done.article?.sections.map((s) => s.title)).toEqual(proposal.sections)
    const events = await eventsOf(server.baseUrl, id)
    const approved = ofType(events, 'outline.approved')
    expect(approved).toHaveLength(1)
    expect(approved[0]).toMatchObject({ ...proposal, edited: false, progress: 30 })
    // After the approval: a new run, the content step, never a second outline.
    const after = events.slice(events.indexOf(approved[0]!) + 1).map((e) => e.type)
    expect(after.slice(0, 2)).toEqual(['job.started', 'step.started'])
    expect(ofType(events, 'outline.ready')).toHaveLength(1)
  })

  it('writes exactly the approved sections: reordered, added and removed, under the new title', async () => {
    const { id, ownerToken, job } = await waitingJob('matcha')
    const [first, second, third] = job.outline!.sections
    const edited = {
      title: '  Matcha, Reconsidered  ',
      sections: [third!, 'A section nobody proposed', first!],
    }
    expect(second).toBeDefined()
    const res = await putOutline(server.baseUrl, id, ownerToken, edited)
    expect(res.status).toBe(202)
    const wanted = { title: 'Matcha, Reconsidered', sections: edited.sections }
    expect(JobSchema.parse(await res.json()).outline).toEqual(wanted)
    const done = await jobWhen(server.baseUrl, id, completed)
    expect(done.outline).toEqual(wanted)
    expect(done.article?.title).toBe(wanted.title)
    expect(done.article?.sections.map((s) => s.title)).toEqual(wanted.sections)
    const events = await eventsOf(server.baseUrl, id)
    expect(ofType(events, 'outline.approved')[0]).toMatchObject({ ...wanted, edited: true })
    expect(ofType(events, 'section.completed').map((e) => e.title)).toEqual(wanted.sections)
  })

  it('counts a reorder alone as an edit', async () => {
    const { id, ownerToken, job } = await waitingJob('rooibos')
    const sections = [...job.outline!.sections].reverse()
    expect(
      (await putOutline(server.baseUrl, id, ownerToken, { ...job.outline, sections })).status,
    ).toBe(202)
    const events = await loggedEvents(server.storage.events, id)
    expect(ofType(events, 'outline.approved')[0]?.edited).toBe(true)
  })

  it('lets exactly one of two racing approvals win; the other is 409', async () => {
    const { id, ownerToken, job } = await waitingJob('sencha')
    const answers = await Promise.all([
      putOutline(server.baseUrl, id, ownerToken, job.outline),
      putOutline(server.baseUrl, id, ownerToken, { ...job.outline, title: 'Other' }),
    ])
    expect(answers.map((r) => r.status).sort()).toEqual([202, 409])
    const loser = answers.find((r) => r.status === 409)!
    expect((await problemOf(loser, 409)).title).toBe('Job not waiting for its outline')
    await jobWhen(server.baseUrl, id, completed)
    expect(ofType(await eventsOf(server.baseUrl, id), 'outline.approved')).toHaveLength(1)
  })

  it('answers 409 for a job that is not waiting for its outline', async () => {
    const plain = await postJob(server.baseUrl, { topic: 'coffee' })
    const outline = { title: 'Coffee', sections: ['a', 'b', 'c'] }
    await jobWhen(server.baseUrl, plain.id, completed)
    await problemOf(await putOutline(server.baseUrl, plain.id, plain.ownerToken, outline), 409)
    const { id, ownerToken, job } = await waitingJob('puerh')
    expect((await putOutline(server.baseUrl, id, ownerToken, job.outline)).status).toBe(202)
    await problemOf(await putOutline(server.baseUrl, id, ownerToken, job.outline), 409)
  })

  it.each([
    ['two sections', { title: 'T', sections: ['a', 'b'] }, 'sections'],
    ['seven sections', { title: 'T', sections: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }, 'sections'],
    ['an empty title', { title: '  ', sections: ['a', 'b', 'c'] }, 'title'],
    ['a title over 200 characters', { title: 'x'.repeat(201), sections: ['a', 'b', 'c'] }, 'title'],
    ['an empty section', { title: 'T', sections: ['a', ' ', 'c'] }, 'sections.1'],
    [
      'a section over 120 characters',
      { title: 'T', sections: ['a', 'b', 'x'.repeat(121)] },
      'sections.2',
    ],
    ['sections that are not a list', { title: 'T', sections: 'a, b, c' }, 'sections'],
  ])(
    'rejects an outline with %s: 422 with errors[], the job still waiting',
    async (_name, body, path) => {
      const { id, ownerToken } = await waitingJob('chai')
      const problem = await problemOf(await putOutline(server.baseUrl, id, ownerToken, body), 422)
      expect(problem.errors?.map((e) => e.path)).toContain(path)
      expect((await jobWhen(server.baseUrl, id, () => true)).status).toBe('waiting')
    },
  )

  it('needs the owner token: 401 without one, 403 with another, 404 for an unknown job', async () => {
    const { id, job } = await waitingJob('earl grey')
    const other = await postJob(server.baseUrl, { topic: 'other' })
    await problemOf(await putOutline(server.baseUrl, id, undefined, job.outline), 401)
    await problemOf(await putOutline(server.baseUrl, id, other.ownerToken, job.outline), 403)
    const unknown = '00000000-0000-4000-8000-000000000000'
    await problemOf(await putOutline(server.baseUrl, unknown, other.ownerToken, job.outline), 404)
    expect((await jobWhen(server.baseUrl, id, () => true)).status).toBe('waiting')
  })

  it('cancels a waiting job at once: 202, job.cancelled, and no approval after', async () => {
    const { id, ownerToken, job } = await waitingJob('jasmine')
    const res = await cancelJob(server.baseUrl, id, ownerToken)
    expect(res.status).toBe(202)
    expect(JobAcceptedSchema.parse(await res.json()).status).toBe('cancelled')
    const events = await eventsOf(server.baseUrl, id)
    expect(events.at(-1)).toMatchObject({ type: 'job.cancelled', reason: 'cancelled by request' })
    expect(events.filter((e) => e.type.startsWith('job.cancelled'))).toHaveLength(1)
    await problemOf(await putOutline(server.baseUrl, id, ownerToken, job.outline), 409)
    expect((await cancelJob(server.baseUrl, id, ownerToken)).status).toBe(202)
  })

  it('holds no worker while waiting: ten waiting jobs do not stop a plain one (2 slots)', async () => {
    const jobs = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        postJob(server.baseUrl, { topic: `queue ${i}`, reviewOutline: true }),
      ),
    )
    await Promise.all(jobs.map((j) => jobWhen(server.baseUrl, j.id, waiting)))
    const plain = await postJob(server.baseUrl, { topic: 'not waiting' })
    const done = await jobWhen(server.baseUrl, plain.id, completed, 10_000)
    expect(done.article?.sections.length).toBeGreaterThanOrEqual(3)
    // Waiting jobs are not queued either: the queue is empty again.
    for (const j of jobs)
      expect((await jobWhen(server.baseUrl, j.id, () => true)).status).toBe('waiting')
  })
})

describe('outline review with an API token and an operator token', () => {
  let server: TestServer
  const apiToken = 'shared-api-token-0123456789'
  const operatorToken = 'operator-token-0123456789'
  beforeAll(async () => {
    server = await startTestServer({
      env: { DEMO_TOKEN_DELAY_MS: '0', API_TOKEN: apiToken, OPERATOR_TOKEN: operatorToken },
    })
  })
  afterAll(() => server.close())

  it('lets an operator approve any job, and not the API token', async () => {
    const created = await postJob(
      server.baseUrl,
      { topic: 'tea', reviewOutline: true },
      { authorization: `Bearer ${apiToken}` },
    )
    const job = await jobWhen(server.baseUrl, created.id, waiting)
    expect((await putOutline(server.baseUrl, created.id, apiToken, job.outline)).status).toBe(403)
    expect((await putOutline(server.baseUrl, created.id, operatorToken, job.outline)).status).toBe(
      202,
    )
    await jobWhen(server.baseUrl, created.id, completed)
  })
})

describe('outline review expiry', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ env: { DEMO_TOKEN_DELAY_MS: '0', REVIEW_TIMEOUT: '400ms' } })
  })
  afterAll(() => server.close())

  it('cancels a job left waiting past REVIEW_TIMEOUT: outline review expired', async () => {
    const { id, ownerToken } = await postJob(server.baseUrl, { topic: 'tea', reviewOutline: true })
    const job = await jobWhen(
      server.baseUrl,
      id,
      (j) => j.status !== 'queued' && j.status !== 'running',
    )
    const events = await eventsOf(server.baseUrl, id, 5000)
    const waitingEvent = ofType(events, 'job.waiting')[0]
    expect(waitingEvent).toBeDefined()
    const last = events.at(-1)
    expect(last).toMatchObject({
      type: 'job.cancelled',
      reason: 'outline review expired',
      progress: 30,
    })
    expect(Date.parse(last!.ts)).toBeGreaterThanOrEqual(Date.parse(waitingEvent!.expiresAt))
    expect(ofType(events, 'job.cancelled')).toHaveLength(1)
    expect((await jobWhen(server.baseUrl, id, () => true)).status).toBe('cancelled')
    await problemOf(await putOutline(server.baseUrl, id, ownerToken, job.outline), 409)
  })
})
