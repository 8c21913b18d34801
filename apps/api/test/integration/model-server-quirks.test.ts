import { isOutline, sectionNumber, startLlmStub } from '@inkflow/llm-stub'
import { describe, expect, it } from 'vitest'
import { closeAfterEach } from '../helpers/close-after-each.js'
import { postJobFrom } from '../helpers/http-from.js'
import { runJob, sectionText } from '../helpers/job-log.js'
import { readStream } from '../helpers/sse-reader.js'
import { capturingLogger, getJob, startTestServer, stubModel } from '../helpers/test-server.js'

const closing = closeAfterEach()

describe('a model server that ignores the output cap (LLM_MAX_OUTPUT_TOKENS is ours too)', () => {
  it('cuts a never-ending section at the cap (≈ 4 characters a token), closes the request and goes on', async () => {
    const stub = closing(
      await startLlmStub({
        reply: (r) => (sectionNumber(r) === 1 ? { ignoreCap: true, endless: true } : {}),
      }),
    )
    const server = closing(
      await startTestServer({ llm: stubModel(stub.url, { maxOutputTokens: 50 }) }),
    )
    const events = await runJob(server.baseUrl, 'runaway')
    expect(events.at(-1)?.type).toBe('job.completed')
    expect(events.some((e) => e.type === 'job.retrying')).toBe(false)
    const runaway = stub.requests.find((r) => sectionNumber(r) === 1)
    expect(runaway?.body.max_completion_tokens).toBe(50)
    // The section keeps what it got, up to the cap, and the server was told to stop.
    const completed = events.find((e) => e.type === 'section.completed' && e.index === 0)
    const content = completed?.type === 'section.completed' ? completed.content : ''
    expect(content).toHaveLength(200)
    expect(sectionText(events, 0)).toBe(content)
    expect(runaway?.aborted).toBe(true)
    // No usage came with the cut answer: counted on our side.
    const job = await getJob(server.baseUrl, events.at(-1)!.jobId)
    expect(job.usage?.estimated).toBe(true)
  })

  it('treats an outline cut at the cap that no longer parses as invalid output', async () => {
    const stub = closing(
      await startLlmStub({
        reply: (r) => (isOutline(r) ? { ignoreCap: true, endless: true } : {}),
      }),
    )
    const server = closing(
      await startTestServer({ llm: stubModel(stub.url, { maxOutputTokens: 30 }) }),
    )
    const events = await runJob(server.baseUrl, 'runaway outline')
    expect(events.at(-1)).toMatchObject({ type: 'job.failed', error: { code: 'llm_bad_output' } })
    expect(events.filter((e) => e.type === 'job.retrying')).toHaveLength(2)
    // Each cut request was closed; the last close may reach the stub after the job's end.
    await expect
      .poll(() => stub.requests.filter(isOutline).map((r) => r.aborted))
      .toEqual([true, true, true])
  })
})

describe('a model server that reports no usage', () => {
  it('has its tokens estimated: usage.estimated, and the daily budget counts them', async () => {
    const stub = closing(await startLlmStub({ reply: () => ({ omitUsage: true }) }))
    const server = closing(
      await startTestServer({
        llm: stubModel(stub.url),
        env: { DAILY_TOKENS_PER_CLIENT: '1000000' },
      }),
    )
    const res = await postJobFrom('127.0.0.2', server.baseUrl)
    const { id } = JSON.parse(res.body) as { id: string }
    const { events } = await readStream(`${server.baseUrl}/api/jobs/${id}/events`)
    const done = events.at(-1)
    expect(done?.type).toBe('job.completed')
    const usage = done?.type === 'job.completed' ? done.usage : undefined
    expect(usage?.estimated).toBe(true)
    expect(usage?.promptTokens).toBeGreaterThan(0)
    expect(usage?.completionTokens).toBeGreaterThan(0)
    expect(await server.storage.spend.spent('127.0.0.2')).toBe(usage?.totalTokens)
  })

  it('stops a job at JOB_TOKEN_LIMIT all the same', async () => {
    // The whole job is ~800 tokens; counted as zero, it would finish under any limit.
    const stub = closing(await startLlmStub({ reply: () => ({ omitUsage: true }) }))
    const server = closing(
      await startTestServer({
        llm: stubModel(stub.url),
        env: { JOB_TOKEN_LIMIT: '600', LLM_MAX_OUTPUT_TOKENS: '100' },
      }),
    )
    const events = await runJob(server.baseUrl, 'uncounted')
    expect(events.at(-1)).toMatchObject({
      type: 'job.failed',
      error: { code: 'job_token_limit', retryable: false },
    })
    expect(events.some((e) => e.type === 'section.completed')).toBe(true)
    const job = await getJob(server.baseUrl, events.at(-1)!.jobId)
    expect(job.usage?.estimated).toBe(true)
    expect(job.usage?.totalTokens).toBeGreaterThan(0)
    expect(job.usage?.totalTokens).toBeLessThanOrEqual(600)
  })

  it('reports usage as the server gave it when it does (estimated: false)', async () => {
    const stub = closing(await startLlmStub())
    const server = closing(await startTestServer({ llm: stubModel(stub.url) }))
    const events = await runJob(server.baseUrl, 'counted')
    const done = events.at(-1)
    expect(done?.type === 'job.completed' && done.usage?.estimated).toBe(false)
  })
})

describe('a model server that refuses max_completion_tokens (older vLLM)', () => {
  it('gets max_tokens instead, from then on, and the job never notices', async () => {
    const stub = closing(
      await startLlmStub({ reply: () => ({ refuseParams: ['max_completion_tokens'] }) }),
    )
    const server = closing(
      await startTestServer({ llm: stubModel(stub.url, { maxOutputTokens: 300 }) }),
    )
    for (const topic of ['first', 'second']) {
      const events = await runJob(server.baseUrl, topic)
      expect(events.at(-1)?.type).toBe('job.completed')
      expect(events.some((e) => e.type === 'job.retrying')).toBe(false)
    }
    const [refused, ...rest] = stub.requests
    expect(refused?.body.max_completion_tokens).toBe(300)
    // Two jobs' calls, every one after the refusal with `max_tokens` only.
    expect(rest.length).toBeGreaterThan(8)
    expect(rest.every((r) => r.body.max_tokens === 300)).toBe(true)
    expect(rest.some((r) => 'max_completion_tokens' in r.body)).toBe(false)
  })
})

describe("a model server's own error text", () => {
  it('never reaches an event; the logs have it', async () => {
    const secret = "Cannot find module '/srv/models/llama/tokenizer.json'"
    let calls = 0
    const stub = closing(
      await startLlmStub({
        reply: () =>
          calls++ === 0
            ? { errorAfterTokens: 2, errorMessage: secret }
            : { status: 500, errorMessage: secret },
      }),
    )
    const { logger, lines } = capturingLogger()
    const server = closing(await startTestServer({ llm: stubModel(stub.url), logger }))
    const events = await runJob(server.baseUrl, 'leaky')
    const reasons = events.flatMap((e) => (e.type === 'job.retrying' ? [e.reason] : []))
    expect(reasons).toEqual([
      'the model failed in the middle of its answer',
      'the model answered 500',
    ])
    expect(events.at(-1)).toMatchObject({
      type: 'job.failed',
      error: { code: 'llm_unavailable', message: 'the model answered 500' },
    })
    expect(JSON.stringify(events)).not.toContain('/srv/models')
    const job = await getJob(server.baseUrl, events.at(-1)!.jobId)
    expect(JSON.stringify(job)).not.toContain('/srv/models')
    // Operators still learn what the server said.
    expect(lines.filter((line) => line.includes('/srv/models')).length).toBeGreaterThanOrEqual(3)
  })
})
