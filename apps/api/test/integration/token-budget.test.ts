import { startLlmStub } from '@inkflow/llm-stub'
import type { ProgressEvent } from '@inkflow/shared'
import { describe, expect, it } from 'vitest'
import { createDemoClient } from '../../src/llm/demo.js'
import { createThreadedLlm } from '../../src/llm/threaded-llm.js'
import { closeAfterEach } from '../helpers/close-after-each.js'
import { postJobFrom } from '../helpers/http-from.js'
import { readStream } from '../helpers/sse-reader.js'
import { getJob, startTestServer } from '../helpers/test-server.js'

const closing = closeAfterEach()

async function runJob(from: string, baseUrl: string): Promise<ProgressEvent[]> {
  const res = await postJobFrom(from, baseUrl)
  expect(res.status).toBe(202)
  const { id } = JSON.parse(res.body) as { id: string }
  return (await readStream(`${baseUrl}/api/jobs/${id}/events`)).events
}

const metric = async (baseUrl: string, line: RegExp) => {
  const text = await (await fetch(`${baseUrl}/metrics`)).text()
  const match = line.exec(text)
  return match ? Number(match[1]) : undefined
}

describe('the daily token budget per client', () => {
  it('refuses a client that spent it, saying when it resets, and serves the others', async () => {
    const server = closing(
      await startTestServer({
        env: { DAILY_TOKENS_PER_CLIENT: '1000', DEMO_TOKEN_DELAY_MS: '0' },
      }),
    )
    const url = server.baseUrl
    const events = await runJob('127.0.0.2', url)
    const done = events.at(-1)
    expect(done?.type).toBe('job.completed')
    const used = done?.type === 'job.completed' ? (done.usage?.totalTokens ?? 0) : 0
    expect(used).toBeGreaterThan(1000)

    // The ledger has the job's spend, under its client.
    expect(await server.storage.spend.spent('127.0.0.2')).toBe(used)

    const refused = await postJobFrom('127.0.0.2', url)
    expect(refused.status).toBe(429)
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/)
    const problem = JSON.parse(refused.body) as { title: string; detail: string }
    expect(problem.title).toBe('Token budget spent')
    const tomorrow = new Date()
    tomorrow.setUTCHours(24, 0, 0, 0)
    expect(problem.detail).toContain(`resets at ${tomorrow.toISOString()}`)
    const retryAfter = Number(refused.headers['retry-after'])
    expect(Math.abs(retryAfter - (tomorrow.getTime() - Date.now()) / 1000)).toBeLessThan(5)

    // Another client still creates jobs.
    expect((await postJobFrom('127.0.0.3', url)).status).toBe(202)
    expect(
      await metric(url, /^inkflow_requests_rejected_total\{reason="token_budget"\} (\d+)$/m),
    ).toBe(1)
    const spent = await metric(url, /^inkflow_llm_tokens_total\{kind="completion"\} (\d+)$/m)
    expect(spent).toBeGreaterThan(0)
  })

  it('does not start jobs queued before the client crossed it', async () => {
    const server = closing(
      await startTestServer({
        env: {
          DAILY_TOKENS_PER_CLIENT: '1000',
          DEMO_TOKEN_DELAY_MS: '0',
          MAX_CONCURRENT_JOBS: '1',
        },
      }),
    )
    const url = server.baseUrl
    // Both accepted at once (nothing spent yet); they run one after the other.
    const posted = await Promise.all([postJobFrom('127.0.0.2', url), postJobFrom('127.0.0.2', url)])
    expect(posted.map((r) => r.status)).toEqual([202, 202])
    const ends = await Promise.all(
      posted.map(async (r) =>
        (
          await readStream(`${url}/api/jobs/${(JSON.parse(r.body) as { id: string }).id}/events`)
        ).events.at(-1),
      ),
    )
    // The first, started under budget, is not cut off half-way; the second never starts.
    expect(ends.map((e) => e?.type).sort()).toEqual(['job.completed', 'job.failed'])
    const failed = ends.find((e) => e?.type === 'job.failed')
    expect(failed?.type === 'job.failed' && failed.error).toMatchObject({
      code: 'daily_token_budget',
      retryable: false,
    })
  })

  it('is off with 0', async () => {
    const server = closing(
      await startTestServer({
        env: { DAILY_TOKENS_PER_CLIENT: '0', DEMO_TOKEN_DELAY_MS: '0' },
      }),
    )
    const done = (await runJob('127.0.0.2', server.baseUrl)).at(-1)
    expect(done?.type).toBe('job.completed')
    expect((await postJobFrom('127.0.0.2', server.baseUrl)).status).toBe(202)
    // Off, it is not kept either: no write for a budget nobody checks.
    expect(await server.storage.spend.spent('127.0.0.2')).toBe(0)
  })
})

describe('the token limit of one job', () => {
  it('fails the job cleanly before a call that could pass it', async () => {
    const server = closing(
      await startTestServer({
        env: { JOB_TOKEN_LIMIT: '1500', LLM_MAX_OUTPUT_TOKENS: '400', DEMO_TOKEN_DELAY_MS: '0' },
      }),
    )
    const events = await runJob('127.0.0.2', server.baseUrl)
    const end = events.at(-1)
    expect(end?.type).toBe('job.failed')
    if (end?.type !== 'job.failed') return
    expect(end.error).toMatchObject({ code: 'job_token_limit', retryable: false })
    expect(end.error.message).toMatch(/of its 1500 model tokens/)
    // It got some way first: the limit stops it mid-job, not at the door.
    expect(events.some((e) => e.type === 'section.completed')).toBe(true)
    expect(events.some((e) => e.type === 'job.retrying')).toBe(false)
    const job = await getJob(server.baseUrl, end.jobId)
    expect(job.status).toBe('failed')
    expect(job.error?.code).toBe('job_token_limit')
    expect(job.usage?.totalTokens).toBeLessThanOrEqual(1500)
  })
})

describe('the output cap of one model call (LLM_MAX_OUTPUT_TOKENS)', () => {
  it('cuts the demo model’s answers at the cap', async () => {
    const llm = createDemoClient({ tokenDelayMs: 0, maxOutputTokens: 12 })
    const result = await llm.complete({
      messages: [{ role: 'user', content: 'write' }],
      task: 'section',
      signal: new AbortController().signal,
    })
    expect(result.usage?.completionTokens).toBe(12)
    expect(result.text.trim().split(/\s+/).length).toBe(12)
  })

  it('asks the openai provider for at most that many tokens per call', async () => {
    const stub = closing(await startLlmStub())
    const server = closing(
      await startTestServer({
        llm: createThreadedLlm({
          apiKey: 'test-key',
          baseUrl: stub.url,
          model: 'stub-model',
          maxOutputTokens: 321,
        }),
        env: { LLM_PROVIDER: 'demo' },
      }),
    )
    const events = await runJob('127.0.0.2', server.baseUrl)
    expect(events.at(-1)?.type).toBe('job.completed')
    const asked = stub.requests.map(
      (r) => (r.body as { max_completion_tokens?: number }).max_completion_tokens,
    )
    expect(asked.length).toBeGreaterThan(2)
    expect(new Set(asked)).toEqual(new Set([321]))
  })
})
