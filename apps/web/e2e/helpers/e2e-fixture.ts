import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type LlmStub, type ReplyScript, startLlmStub } from '@inkflow/llm-stub'
import { type Job, JobSchema } from '@inkflow/shared'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { spawnApi } from './api-process.js'
import { launchChromium } from './browser.js'
import { serveSpa } from './static-server.js'

const DIST = fileURLToPath(new URL('../../dist', import.meta.url))

export interface E2eOptions {
  /** The model's answers, from an LLM stub with this script; without one the demo model writes. */
  model?: ReplyScript
  /** The stub's pause between streamed tokens (default 0). */
  tokenDelayMs?: number
  /** More API settings: `DEMO_TOKEN_DELAY_MS`, `API_TOKEN`, `REVIEW_TIMEOUT`, … */
  settings?: Record<string, string>
  /** A server of the test's own stands in for the API here: no API is started. */
  apiBaseUrl?: string
}

export interface PageOptions {
  width?: number
  height?: number
  colorScheme?: 'light' | 'dark'
  /** Grant the SPA's origin the clipboard, for Copy buttons. */
  clipboard?: boolean
}

/** The built SPA on one origin, the API on another (as in production), and Chromium. */
export interface E2e {
  /** The SPA's origin, `http://localhost:<port>`. */
  origin: string
  apiBaseUrl: string
  /** The LLM stub, when `model` was given. */
  stub: LlmStub | undefined
  browser: Browser
  /** A page in a browser context of its own (a browser of its own, as far as the SPA can tell). */
  open(options?: PageOptions): Promise<Page>
  /** Closes every context opened so far; returns the uncaught errors of their pages. */
  closePages(): Promise<string[]>
  getJob(id: string): Promise<Job>
  /**
   * Points the SPA at another API from its next load (`config.json`): the origin, and so
   * every page's storage, stays the same — as when the server has forgotten the jobs.
   */
  useApi(baseUrl: string): void
  close(): Promise<void>
}

export async function startE2e(options: E2eOptions = {}): Promise<E2e> {
  if (!existsSync(`${DIST}/index.html`))
    throw new Error(`${DIST} is missing: run \`pnpm build\` at the repo root first`)
  // Closed in reverse, also when a later part fails to start.
  const closers: (() => Promise<unknown>)[] = []
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close()
  }
  try {
    const { model } = options
    const stub = model
      ? await startLlmStub({ reply: model, tokenDelayMs: options.tokenDelayMs ?? 0 })
      : undefined
    if (stub) closers.push(() => stub.close())
    const spa = await serveSpa(DIST)
    closers.push(() => spa.close())
    let apiBaseUrl = options.apiBaseUrl
    if (!apiBaseUrl) {
      const llm: Record<string, string> = stub
        ? { LLM_PROVIDER: 'openai', OPENAI_API_KEY: 'x', OPENAI_BASE_URL: stub.url }
        : {}
      // The API allows the SPA's origin only: every call the page makes is a real CORS request.
      const api = await spawnApi({ ...llm, ...options.settings, CORS_ORIGINS: spa.origin })
      closers.push(() => api.stop())
      apiBaseUrl = api.baseUrl
    }
    spa.setConfig({ apiBaseUrl })
    const browser = await launchChromium()
    closers.push(() => browser.close())

    let contexts: BrowserContext[] = []
    let errors: string[] = []
    return {
      origin: spa.origin,
      apiBaseUrl,
      stub,
      browser,
      async open({ width = 1280, height = 900, colorScheme, clipboard } = {}) {
        const context = await browser.newContext({ viewport: { width, height }, colorScheme })
        contexts.push(context)
        context.on('weberror', (error) => errors.push(error.error().message))
        if (clipboard)
          await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
            origin: spa.origin,
          })
        return context.newPage()
      },
      async closePages() {
        for (const context of contexts) await context.close()
        const seen = errors
        contexts = []
        errors = []
        return seen
      },
      async getJob(id) {
        return JobSchema.parse(await (await fetch(`${apiBaseUrl}/api/jobs/${id}`)).json())
      },
      useApi: (baseUrl) => spa.setConfig({ apiBaseUrl: baseUrl }),
      close: closeAll,
    }
  } catch (error) {
    await closeAll()
    throw error
  }
}
