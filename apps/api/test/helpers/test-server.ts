import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { type Logger, pino } from 'pino'
import { createRuntime } from '../../src/compose/create-runtime.js'
import { createStorage, type Storage } from '../../src/compose/create-storage.js'
import { loadSettings } from '../../src/env.js'
import { applyServerTimeouts } from '../../src/http/server-timeouts.js'
import { createDemoClient } from '../../src/llm/demo.js'
import type { LlmClient } from '../../src/llm/llm.js'
import type { OpenAiOptions } from '../../src/llm/openai.js'
import { createThreadedLlm } from '../../src/llm/threaded-llm.js'

// The HTTP client side, which most tests of a server also need, kept with it.
export { cancelJob, createJob, getJob, startJob, waitUntil } from './job-client.js'

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

/** A logger at `level` that keeps the lines it writes (`records()`: parsed), for a test to read. */
export function capturingLogger(level = 'info') {
  const lines: string[] = []
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    },
  })
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>)
  return { logger: pino({ level }, sink), lines, records }
}
