import {
  defaultReply,
  isOutline,
  isSection,
  isStyle,
  type LlmStub,
  prefillOf,
  startLlmStub,
} from '@inkflow/llm-stub'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { closeAfterEach } from '../helpers/close-after-each.js'
import { runJob, sectionText, tokenText } from '../helpers/job-log.js'
import { readStream } from '../helpers/sse-reader.js'
import {
  cancelJob,
  createJob,
  getJob,
  startJob,
  startTestServer,
  stubModel,
  type TestServer,
  waitUntil,
} from '../helpers/test-server.js'

const closing = closeAfterEach()

describe('the openai provider, through the real SDK against a local chat-completions server', () => {
  let stub: LlmStub
  let server: TestServer
  beforeAll(async () => {
    stub = await startLlmStub()
    server = await startTestServer({ llm: stubModel(stub.url) })
  })
  afterEach(() => stub.setReply(() => ({})))
  afterAll(async () => {
    await server.close()
    await stub.close()
  })

  it('writes a whole article with streamed tokens and records token usage on the job', async () => {
    const events = await runJob(server.baseUrl, 'kites')
    const done = events.at(-1)
    expect(done?.type).toBe('job.completed')
    if (done?.type !== 'job.completed') return
    expect(done.article.title).toBe('All about kites')
    expect(done.article.sections.map((s) => s.title)).toEqual([
      'Origins',
      'How it works',
      'Why it matters',
    ])
    expect(done.usage?.completionTokens).toBeGreaterThan(0)
    const job = await getJob(server.baseUrl, done.jobId)
    expect(job.usage).toEqual(done.usage)
    expect(job.usage?.totalTokens).toBe(
      (job.usage?.promptTokens ?? 0) + (job.usage?.completionTokens ?? 0),
    )
    expect(
      stub.requests.every((r) => r.body.stream === true && r.body.model === 'stub-model'),
    ).toBe(true)
  })

  it('retries an outline that is not valid YAML, announcing it, and then succeeds', async () => {
    let outlines = 0
    stub.setReply((r) =>
      isOutline(r) && outlines++ === 0 ? { text: 'title: [unclosed\n  - : :' } : {},
    )
    const events = await runJob(server.baseUrl, 'malformed')
    const retry = events.find((e) => e.type === 'job.retrying')
    expect(retry).toMatchObject({ attempt: 2, reason: 'the outline was not valid YAML' })
    expect(events.at(-1)?.type).toBe('job.completed')
    expect(outlines).toBe(2)
  })

  it('retries an outline with too few sections', async () => {
    let outlines = 0
    stub.setReply((r) =>
      isOutline(r) && outlines++ === 0 ? { text: 'title: T\nsections:\n  - only one\n' } : {},
    )
    const events = await runJob(server.baseUrl, 'short outline')
    expect(events.some((e) => e.type === 'job.retrying')).toBe(true)
    expect(events.at(-1)?.type).toBe('job.completed')
  })

  it('honours Retry-After on a 429 and then succeeds', async () => {
    let calls = 0
    stub.setReply(() => (calls++ === 0 ? { status: 429, headers: { 'retry-after': '1' } } : {}))
    const events = await runJob(server.baseUrl, 'rate limited')
    const retry = events.find((e) => e.type === 'job.retrying')
    expect(retry?.type === 'job.retrying' && retry.delayMs).toBeGreaterThanOrEqual(1000)
    expect(events.at(-1)?.type).toBe('job.completed')
  })

  it('fails with llm_unavailable after the last try when the model keeps answering 500', async () => {
    const before = stub.requests.length
    stub.setReply(() => ({ status: 500 }))
    const events = await runJob(server.baseUrl, 'down')
    const failed = events.at(-1)
    expect(failed).toMatchObject({
      type: 'job.failed',
      error: { code: 'llm_unavailable', retryable: true },
    })
    expect(events.filter((e) => e.type === 'job.retrying')).toHaveLength(2)
    expect(stub.requests.length - before).toBe(3)
    const job = await getJob(server.baseUrl, failed!.jobId)
    expect(job.status).toBe('failed')
    expect(job.error?.code).toBe('llm_unavailable')
  })

  it('does not retry a request the model refuses (400)', async () => {
    stub.setReply(() => ({ status: 400 }))
    const events = await runJob(server.baseUrl, 'refused')
    expect(events.at(-1)).toMatchObject({
      type: 'job.failed',
      error: { code: 'llm_bad_request', retryable: false },
    })
    expect(events.some((e) => e.type === 'job.retrying')).toBe(false)
  })

  it('spends transport faults and invalid output from separate budgets: 429, 500, bad YAML, then a good outline', async () => {
    let outlines = 0
    const script: Record<
      number,
      { status?: number; headers?: Record<string, string>; text?: string }
    > = {
      0: { status: 429, headers: { 'retry-after': '0' } },
      1: { status: 500 },
      2: { text: 'title: [unclosed\n  - : :' },
    }
    stub.setReply((r) => (isOutline(r) ? (script[outlines++] ?? {}) : {}))
    const events = await runJob(server.baseUrl, 'budgets')
    expect(outlines).toBe(4)
    const retries = events.filter((e) => e.type === 'job.retrying')
    expect(retries.map((e) => e.type === 'job.retrying' && e.reason)).toEqual([
      'the model is rate limited',
      'the model answered 500',
      'the outline was not valid YAML',
    ])
    expect(events.at(-1)?.type).toBe('job.completed')
  })

  for (const [cut, reply] of [
    ['a dropped connection', { dropAfterTokens: 4, tokenDelayMs: 10 }],
    ['an error message mid-answer', { errorAfterTokens: 3 }],
  ] as const) {
    it(`continues a section cut off by ${cut} from the text already sent, paying for nothing twice`, async () => {
      let sections = 0
      stub.setReply((r) => (isSection(r) && sections++ === 0 ? reply : {}))
      const before = stub.requests.length
      const events = await runJob(server.baseUrl, `cut by ${cut}`)
      expect(events.at(-1)?.type).toBe('job.completed')
      expect(events.filter((e) => e.type === 'section.started' && e.index === 0)).toHaveLength(1)
      const requests = stub.requests.slice(before).filter(isSection)
      const [first, second] = requests
      expect(requests).toHaveLength(4) // three sections, one of them asked twice
      // The second request carries the text streamed before the cut, as the model's own words.
      const retrying = events.findIndex((e) => e.type === 'job.retrying')
      expect(retrying).toBeGreaterThan(0)
      const sentBeforeCut = sectionText(events.slice(0, retrying), 0)
      expect(sentBeforeCut.length).toBeGreaterThan(0)
      expect(prefillOf(second!)).toBe(sentBeforeCut)
      // The section reads as the model would have written it: no word repeated or lost.
      const completed = events.find((e) => e.type === 'section.completed' && e.index === 0)
      const whole = defaultReply(first!.body.messages)
      expect(completed?.type === 'section.completed' && completed.content).toBe(whole)
      expect(sectionText(events, 0)).toBe(whole)
    })
  }

  it('continues a style pass cut off mid-way, under one step.started', async () => {
    let styles = 0
    stub.setReply((r) =>
      isStyle(r) && styles++ === 0 ? { dropAfterTokens: 8, tokenDelayMs: 10 } : {},
    )
    const events = await runJob(server.baseUrl, 'cut polish')
    expect(events.at(-1)?.type).toBe('job.completed')
    expect(events.filter((e) => e.type === 'step.started' && e.step === 'style')).toHaveLength(1)
    const [first, second] = stub.requests.filter(isStyle).slice(-2)
    const retrying = events.findIndex((e) => e.type === 'job.retrying')
    const polishedBeforeCut = tokenText(events.slice(0, retrying), 'style')
    expect(polishedBeforeCut.length).toBeGreaterThan(0)
    expect(prefillOf(second!)).toBe(polishedBeforeCut)
    expect(tokenText(events, 'style')).toBe(defaultReply(first!.body.messages))
  })

  it('trims what a continuing model repeats of its own words', async () => {
    let sections = 0
    stub.setReply((r) => {
      if (!isSection(r)) return {}
      const written = prefillOf(r)
      if (written === undefined) return sections++ === 0 ? { dropAfterTokens: 6 } : {}
      // A model that restates its last twenty characters before going on.
      const whole = defaultReply(r.body.messages.slice(0, -2))
      return { text: written.slice(-20) + whole.slice(written.length) }
    })
    const events = await runJob(server.baseUrl, 'repeating model')
    expect(events.at(-1)?.type).toBe('job.completed')
    const first = stub.requests.filter(isSection).at(-4)!
    const whole = defaultReply(first.body.messages)
    expect(sectionText(events, 0)).toBe(whole)
  })
})

describe('cancelling a job mid-section', () => {
  it('aborts the model request, ends the stream with job.cancelled and emits no token after it', async () => {
    const stub = closing(
      await startLlmStub({
        tokenDelayMs: 5,
        reply: (r) => (isSection(r) ? { hangAfterTokens: 6 } : {}),
      }),
    )
    const server = closing(await startTestServer({ llm: stubModel(stub.url) }))
    const { id, ownerToken } = await startJob(server.baseUrl, 'cancel me')
    let cancelled = false
    const result = await readStream(`${server.baseUrl}/api/jobs/${id}/events`, {
      onEvent: (e) => {
        if (!cancelled && e.type === 'token' && e.step === 'content') {
          cancelled = true
          void cancelJob(server.baseUrl, id, ownerToken)
        }
      },
    })
    const events = result.events
    expect(result.endedByServer).toBe(true)
    expect(events.at(-1)?.type).toBe('job.cancelled')
    expect(events.filter((e) => e.type === 'job.cancelled')).toHaveLength(1)
    const sectionRequest = stub.requests.find(isSection)
    await waitUntil(() => sectionRequest?.aborted, 5000)
    expect(stub.requests.filter(isSection)).toHaveLength(1)
    const job = await getJob(server.baseUrl, id)
    expect(job.status).toBe('cancelled')
    // Nothing was appended after the terminal event.
    await new Promise((r) => setTimeout(r, 100))
    const again = await readStream(`${server.baseUrl}/api/jobs/${id}/events`)
    expect(again.events).toEqual(events)
  })
})

describe('MAX_CONCURRENT_JOBS', () => {
  it('runs at most that many jobs; the rest wait queued and start as slots free', async () => {
    const stub = closing(
      await startLlmStub({ reply: (r) => (isSection(r) ? { hangAfterTokens: 2 } : {}) }),
    )
    const server = closing(
      await startTestServer({
        llm: stubModel(stub.url),
        env: { MAX_CONCURRENT_JOBS: '2' },
      }),
    )
    const status = async (id: string) => (await getJob(server.baseUrl, id)).status
    const first = await startJob(server.baseUrl, 'a')
    const ids = [
      first.id,
      await createJob(server.baseUrl, 'b'),
      await createJob(server.baseUrl, 'c'),
    ]
    await waitUntil(
      async () => (await status(ids[0]!)) === 'running' && (await status(ids[1]!)) === 'running',
    )
    await new Promise((r) => setTimeout(r, 100))
    expect(await status(ids[2]!)).toBe('queued')
    expect((await cancelJob(server.baseUrl, first.id, first.ownerToken)).status).toBe(202)
    await waitUntil(async () => (await status(ids[2]!)) === 'running')
  })
})
