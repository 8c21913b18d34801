import {
  isOutline,
  isRevision,
  isSection,
  isStyle,
  type LlmStub,
  promptOf,
  requestData,
  startLlmStub,
} from '@inkflow/llm-stub'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { completedJob, eventsOf, jobWhen, postRevision } from '../helpers/job-client.js'
import { startTestServer, stubModel, type TestServer } from '../helpers/test-server.js'

describe('the language option, as the model is asked', () => {
  let stub: LlmStub
  let server: TestServer
  beforeAll(async () => {
    stub = await startLlmStub()
    server = await startTestServer({ llm: stubModel(stub.url), env: { DEMO_TOKEN_DELAY_MS: '0' } })
  })
  afterAll(async () => {
    await server.close()
    await stub.close()
  })

  it('every prompt (outline, sections, style, revise) asks for the article in that language', async () => {
    const job = await completedJob(server.baseUrl, { topic: 'cheese', language: 'fr' })
    expect(job.job.article?.language).toBe('fr')
    const revision = await postRevision(server.baseUrl, job.id, job.ownerToken, {
      section: 0,
      instruction: 'shorter',
    })
    const { id } = (await revision.json()) as { id: string }
    const revised = await jobWhen(server.baseUrl, id, (j) => j.status === 'completed')
    expect(revised.article?.language).toBe('fr')
    const requests = stub.requests
    expect(requests.filter(isOutline)).toHaveLength(1)
    expect(requests.filter(isSection).length).toBeGreaterThanOrEqual(3)
    expect(requests.filter(isStyle)).toHaveLength(1)
    expect(requests.filter(isRevision)).toHaveLength(1)
    for (const request of requests) {
      expect(promptOf(request)).toContain('Write in French')
      expect(requestData(request).language).toBe('fr')
    }
    // The instruction is data: inside the one JSON line, never a line of its own.
    const reviseRequest = requests.find(isRevision)!
    expect(requestData(reviseRequest)).toMatchObject({ instruction: 'shorter', section: 1 })
    const revise = promptOf(reviseRequest)
    expect(revise.split('\n').filter((line) => line.includes('shorter'))).toHaveLength(1)
  })

  it('asks for English when no language is chosen', async () => {
    const before = stub.requests.length
    await completedJob(server.baseUrl, { topic: 'bread' })
    for (const request of stub.requests.slice(before)) {
      expect(promptOf(request)).toContain('Write in English')
      expect(requestData(request).language).toBe('en')
    }
  })
})

describe('the demo model and the language', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ env: { DEMO_TOKEN_DELAY_MS: '0' } })
  })
  afterAll(() => server.close())

  it('says in the article’s opening line that it writes only English', async () => {
    const { id, job } = await completedJob(server.baseUrl, { topic: 'tea', language: 'fr' })
    const article = job.article!
    expect(article.language).toBe('fr')
    const [title, opening] = article.markdown.split('\n\n')
    expect(title).toMatch(/^# /)
    expect(opening).toBe(
      '(The demo model writes only English; this article was asked for in French.)',
    )
    const events = await eventsOf(server.baseUrl, id)
    expect(events.at(-1)).toMatchObject({ type: 'job.completed', article: { language: 'fr' } })
  })

  it('says nothing of the kind for English', async () => {
    const { job } = await completedJob(server.baseUrl, { topic: 'tea', language: 'en-GB' })
    expect(job.article?.language).toBe('en-GB')
    expect(job.article?.markdown).not.toContain('demo model writes only English')
  })
})
