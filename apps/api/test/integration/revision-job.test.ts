import type { Job, ProgressEvent } from '@inkflow/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accepted } from '../helpers/answers.js'
import {
  completedJob,
  eventsOf,
  jobWhen,
  postJob,
  postRevision,
  putOutline,
  wordCount,
} from '../helpers/job-client.js'
import { getJob, startTestServer, type TestServer } from '../helpers/test-server.js'

const done = (job: Job) => job.status === 'completed'

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
