import { ServerConfigSchema } from '@inkflow/shared'
import { afterEach, describe, expect, it } from 'vitest'
import { loadSettings } from '../../src/env.js'
import { completedJob, eventsOf, postJob } from '../helpers/job-client.js'
import { getJob, startTestServer, type TestServer } from '../helpers/test-server.js'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const config = async () =>
  ServerConfigSchema.parse(await (await fetch(`${server!.baseUrl}/api/config`)).json())

describe('expiresAt', () => {
  it('is absent while a job runs, and its end plus JOB_TTL once it has ended', async () => {
    server = await startTestServer({ env: { DEMO_TOKEN_DELAY_MS: '5', JOB_TTL: '90m' } })
    const { id } = await postJob(server.baseUrl, { topic: 'tea' })
    const early = await getJob(server.baseUrl, id)
    expect(['queued', 'running']).toContain(early.status)
    expect(early.expiresAt).toBeUndefined()
    await server.close()
    server = await startTestServer({ env: { DEMO_TOKEN_DELAY_MS: '0', JOB_TTL: '90m' } })
    const { job } = await completedJob(server.baseUrl)
    expect(job.expiresAt).toBe(new Date(Date.parse(job.updatedAt) + 90 * 60_000).toISOString())
  })
})

describe('usage.cost', () => {
  it('prices a finished job’s usage when both prices are set, in its view and its job.completed', async () => {
    server = await startTestServer({
      env: {
        DEMO_TOKEN_DELAY_MS: '0',
        LLM_PRICE_INPUT_PER_MTOK: '0.15',
        LLM_PRICE_OUTPUT_PER_MTOK: '0.6',
      },
    })
    expect((await config()).prices).toEqual({ inputPerMTok: 0.15, outputPerMTok: 0.6 })
    const { id, job } = await completedJob(server.baseUrl)
    const usage = job.usage!
    expect(usage.totalTokens).toBeGreaterThan(0)
    const expected = (usage.promptTokens * 0.15 + usage.completionTokens * 0.6) / 1e6
    expect(usage.cost).toBeCloseTo(expected, 8)
    expect(usage.cost).toBeGreaterThan(0)
    const completed = (await eventsOf(server.baseUrl, id)).at(-1)
    expect(completed).toMatchObject({ type: 'job.completed', usage })
  })

  it('is absent without prices, and /api/config says prices: null', async () => {
    server = await startTestServer({ env: { DEMO_TOKEN_DELAY_MS: '0' } })
    expect((await config()).prices).toBeNull()
    const { job } = await completedJob(server.baseUrl)
    expect(job.usage?.totalTokens).toBeGreaterThan(0)
    expect(job.usage).not.toHaveProperty('cost')
  })

  it('refuses one price without the other at start', () => {
    expect(() => loadSettings({ LLM_PRICE_INPUT_PER_MTOK: '1' })).toThrow(
      /LLM_PRICE_INPUT_PER_MTOK/,
    )
    expect(() => loadSettings({ LLM_PRICE_OUTPUT_PER_MTOK: '1' })).toThrow(/LLM_PRICE/)
    expect(() =>
      loadSettings({ LLM_PRICE_INPUT_PER_MTOK: '-1', LLM_PRICE_OUTPUT_PER_MTOK: '1' }),
    ).toThrow(/LLM_PRICE_INPUT_PER_MTOK/)
  })
})
