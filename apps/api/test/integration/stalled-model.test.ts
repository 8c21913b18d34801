import {
  defaultReply,
  isOutline,
  isSection,
  type LlmStub,
  prefillOf,
  sectionNumber,
  startLlmStub,
} from '@inkflow/llm-stub'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runJob, sectionText } from '../helpers/job-log.js'
import { getJob, startTestServer, stubModel, type TestServer } from '../helpers/test-server.js'

/** The stalls below are shorter than any default: the deadline every test here runs under. */
const TIMEOUT_MS = 800

describe('a model server that goes quiet (LLM_TIMEOUT_MS bounds the first delta and every silence)', () => {
  let stub: LlmStub
  let server: TestServer
  beforeAll(async () => {
    stub = await startLlmStub()
    server = await startTestServer({ llm: stubModel(stub.url, { timeoutMs: TIMEOUT_MS }) })
  })
  afterEach(() => stub.setReply(() => ({})))
  afterAll(async () => {
    await server.close()
    await stub.close()
  })

  it('retries a section that stalls mid-answer with keep-alive comments only, carrying on from the text already sent', async () => {
    let stalls = 0
    stub.setReply((r) =>
      sectionNumber(r) === 1 && stalls++ === 0
        ? { hangAfterTokens: 5, keepAliveMs: 100, tokenDelayMs: 5 }
        : {},
    )
    const before = stub.requests.length
    const events = await runJob(server.baseUrl, 'stalled section')
    expect(events.at(-1)?.type).toBe('job.completed')
    expect(events.filter((e) => e.type === 'job.completed')).toHaveLength(1)
    const retries = events.filter((e) => e.type === 'job.retrying')
    expect(retries).toHaveLength(1)
    expect(retries[0]).toMatchObject({
      attempt: 2,
      reason: 'the model stopped in the middle of its answer (nothing new for 0.8 s)',
    })
    // The stalled request was given up (its connection closed), and the next one carried on.
    const [stalled, next] = stub.requests.slice(before).filter((r) => sectionNumber(r) === 1)
    expect(stalled?.aborted).toBe(true)
    const retrying = events.findIndex((e) => e.type === 'job.retrying')
    const sentBeforeStall = sectionText(events.slice(0, retrying), 0)
    expect(sentBeforeStall.length).toBeGreaterThan(0)
    expect(prefillOf(next!)).toBe(sentBeforeStall)
    expect(events.filter((e) => e.type === 'section.started' && e.index === 0)).toHaveLength(1)
    expect(sectionText(events, 0)).toBe(defaultReply(stalled!.body.messages))
  })

  for (const [how, stall] of [
    ['headers, then comments only', { hangAfterTokens: 0, keepAliveMs: 100 }],
    ['not even headers', { delayMs: 5 * TIMEOUT_MS }],
  ] as const) {
    it(`retries an answer whose first words never come (${how})`, async () => {
      let stalls = 0
      stub.setReply((r) => (isOutline(r) && stalls++ === 0 ? stall : {}))
      const events = await runJob(server.baseUrl, `silent outline, ${how}`)
      expect(events.at(-1)?.type).toBe('job.completed')
      const retries = events.filter((e) => e.type === 'job.retrying')
      expect(retries).toHaveLength(1)
      expect(retries[0]).toMatchObject({
        reason: 'the model did not begin its answer within 0.8 s',
      })
    })
  }

  it('fails the job after LLM_MAX_ATTEMPTS stalls, once, in words a reader understands', async () => {
    stub.setReply((r) => (isSection(r) ? { hangAfterTokens: 3, keepAliveMs: 100 } : {}))
    const events = await runJob(server.baseUrl, 'always stalls')
    const terminal = events.filter((e) => e.type.startsWith('job.') && e.type !== 'job.started')
    expect(terminal.map((e) => e.type)).toEqual([
      'job.queued',
      'job.retrying',
      'job.retrying',
      'job.failed',
    ])
    expect(events.at(-1)).toMatchObject({
      type: 'job.failed',
      error: {
        code: 'llm_timeout',
        message: 'the model stopped in the middle of its answer (nothing new for 0.8 s)',
        retryable: true,
      },
    })
    const job = await getJob(server.baseUrl, events.at(-1)!.jobId)
    expect(job.status).toBe('failed')
    // The three tries' prompts and words were paid for: counted, on our side.
    expect(job.usage?.estimated).toBe(true)
    expect(job.usage?.completionTokens).toBeGreaterThan(0)
  })

  it('does not cut an answer that trickles, however long it takes in all', async () => {
    // 20 words, one every 100 ms: 2 s in all, each silence well inside the deadline.
    const text = Array.from({ length: 20 }, (_, i) => `word${i}`).join(' ')
    stub.setReply((r) => (sectionNumber(r) === 1 ? { text, tokenDelayMs: 100 } : {}))
    const events = await runJob(server.baseUrl, 'trickle')
    expect(events.at(-1)?.type).toBe('job.completed')
    expect(events.some((e) => e.type === 'job.retrying')).toBe(false)
    expect(sectionText(events, 0)).toBe(text)
  })
})
