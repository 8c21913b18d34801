import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { type Job, JobCreatedSchema, JobSchema } from '@inkflow/shared'
import { type Logger, pino } from 'pino'
import { createRuntime } from '../../src/compose/create-runtime.js'
import { createStorage, type Storage } from '../../src/compose/create-storage.js'
import { loadSettings } from '../../src/env.js'
import { applyServerTimeouts } from '../../src/http/server-timeouts.js'
import { createDemoClient } from '../../src/llm/demo.js'
import type { LlmClient } from '../../src/llm/llm.js'
import type { OpenAiOptions } from '../../src/llm/openai.js'
import { createThreadedLlm } from '../../src/llm/threaded-llm.js'

export interface TestServerOptions {
  llm?: LlmClient
  storage?: Storage
  /** Extra settings, as environment variables. */
  env?: Record<string, string>
  /** Where the server logs. Default: nowhere. */
  logger?: Logger
}

export interface TestServer {
  baseUrl: string
  storage: Storage
  close(): Promise<void>
}

/** Starts the real app on a free loopback port (memory store, demo model unless told). */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const settings = loadSettings({
    STORE_URL: 'memory',
    LOG_LEVEL: 'silent',
    DEMO_TOKEN_DELAY_MS: '1',
    ...options.env,
  })
  const storage = options.storage ?? (await createStorage('memory'))
  const llm = options.llm ?? createDemoClient({ tokenDelayMs: settings.llm.demoTokenDelayMs })
  const runtime = createRuntime({
    settings,
    storage,
    llm,
    logger: options.logger ?? pino({ level: 'silent' }),
  })
  const server = applyServerTimeouts(runtime.app.listen(0, '127.0.0.1'))
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    storage,
    async close() {
      await runtime.stop()
      server.closeAllConnections()
      server.close()
      await storage.close()
    },
  }
}

/**
 * The openai provider as the server runs it — the real SDK on the model thread — against a
 * local chat-completions stub.
 */
export const stubModel = (
  url: string,
  options: Pick<OpenAiOptions, 'timeoutMs' | 'maxOutputTokens'> = {},
) => createThreadedLlm({ apiKey: 'test-key', baseUrl: url, model: 'stub-model', ...options })

/** POSTs a job and returns its id and owner token. */
export async function startJob(
  baseUrl: string,
  topic = 'tea',
  headers: Record<string, string> = {},
): Promise<{ id: string; ownerToken: string }> {
  const res = await fetch(`${baseUrl}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ topic }),
  })
  if (res.status !== 202)
    throw new Error(`POST /api/jobs answered ${res.status}: ${await res.text()}`)
  return JobCreatedSchema.parse(await res.json())
}

/** POSTs a job and returns its id. */
export async function createJob(
  baseUrl: string,
  topic = 'tea',
  headers: Record<string, string> = {},
): Promise<string> {
  return (await startJob(baseUrl, topic, headers)).id
}

/** Cancels a job with a bearer token (its owner token, or the API token); returns the answer. */
export function cancelJob(baseUrl: string, id: string, token: string): Promise<Response> {
  return fetch(`${baseUrl}/api/jobs/${id}/cancel`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  })
}

/** GETs a job and parses it with the shared schema. */
export async function getJob(baseUrl: string, id: string): Promise<Job> {
  return JobSchema.parse(await (await fetch(`${baseUrl}/api/jobs/${id}`)).json())
}

/** Polls `check` every 10 ms until it returns a value; fails after `ms`. */
export async function waitUntil<T>(
  check: () => T | undefined | Promise<T | undefined>,
  ms = 10_000,
): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}
