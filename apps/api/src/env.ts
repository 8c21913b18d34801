import { z } from 'zod'
import { parseDuration } from './lib/duration.js'
import { FAILPOINTS } from './lib/failpoint.js'
import { urlSecrets } from './lib/redact-secrets.js'
import { parseTrustProxy } from './lib/trust-proxy.js'

/** The dev server's origins, allowed by default so `pnpm dev` works without settings. */
const DEV_ORIGINS = 'http://localhost:5173,http://127.0.0.1:5173'

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max)
const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v)
/** A price in USD (per million tokens), unset when empty. */
const price = () =>
  z.preprocess(emptyAsUndefined, z.coerce.number().nonnegative().max(1_000_000).optional())
/** A duration like `7d`, `12h`, `30m`, `45s` or plain milliseconds, at least `minMs`. */
const duration = (minMs: number) =>
  z
    .string()
    .transform((text, ctx) => {
      const ms = parseDuration(text)
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: 'must be a duration like 7d, 12h, 30m or ms' })
        return z.NEVER
      }
      return ms
    })
    .pipe(z.number().min(minMs, `must be at least ${minMs} ms`))

/**
 * Who a setting is for, as the settings tables group them: `you set` is what an operator
 * decides for a deployment (where it listens, its store, model, origins, proxy, tokens and
 * budgets); `tuning` has defaults that suit most deployments; `hook` is for tests and
 * benchmarks only, never for production.
 */
export type SettingGroup = 'you set' | 'tuning' | 'hook'

/** How the settings tables (README, docs/http-contract.md) and `.env.example` show a setting. */
export interface SettingDoc {
  group: SettingGroup
  /** What it does, one Markdown sentence or a few. */
  text: string
  /** The default as the tables show it. Default: the schema's own default, or `–` when none. */
  shown?: string
}

/** One setting: its schema and, beside it, how the docs show it (`pnpm settings:docs`). */
const setting = <S extends z.ZodType>(schema: S, doc: SettingDoc) => ({ schema, doc })

/**
 * Every setting inkflow reads, with its default and its documentation. This is the only file
 * that reads `process.env`; everything else receives a parsed `Settings`.
 */
export const SETTINGS = {
  HOST: setting(z.string().min(1).default('127.0.0.1'), {
    group: 'you set',
    text: 'the address the API listens on (`0.0.0.0`: every interface, as in the container image)',
  }),
  PORT: setting(int(0, 65535).default(8787), {
    group: 'you set',
    text: 'the port it listens on (`0`: any free port, printed at start)',
  }),
  STORE_URL: setting(
    z
      .string()
      .regex(
        /^(memory|sqlite:.+|rediss?:\/\/.+)$/,
        'must be memory, sqlite:<path> or redis://host:port',
      )
      .default('sqlite:./data/inkflow.db'),
    {
      group: 'you set',
      text: '`memory`, `sqlite:<path>`, or `redis://host:port[/db]` (`rediss://` for TLS, `redis://user:pass@host…` with auth)',
    },
  ),
  ROLE: setting(z.enum(['all', 'api', 'worker']).default('all'), {
    group: 'you set',
    text: '`all` (API + worker), `api` (HTTP only) or `worker` (runs jobs, no HTTP); `api` and `worker` need a Redis store',
  }),
  LLM_PROVIDER: setting(z.preprocess(emptyAsUndefined, z.enum(['openai', 'demo']).optional()), {
    group: 'you set',
    text: '`openai` (needs `OPENAI_API_KEY`) or `demo` (offline, announced as such)',
    shown: '`openai` if `OPENAI_API_KEY` is set, else `demo`',
  }),
  OPENAI_API_KEY: setting(z.preprocess(emptyAsUndefined, z.string().optional()), {
    group: 'you set',
    text: 'the model server’s API key',
  }),
  OPENAI_BASE_URL: setting(z.preprocess(emptyAsUndefined, z.url().optional()), {
    group: 'you set',
    text: 'any OpenAI-compatible server (Ollama, vLLM), e.g. `http://127.0.0.1:11434/v1`',
    shown: 'the SDK’s (OpenAI)',
  }),
  OPENAI_MODEL: setting(z.string().min(1).default('gpt-4o-mini'), {
    group: 'you set',
    text: 'the model every step asks',
  }),
  CORS_ORIGINS: setting(z.string().default(DEV_ORIGINS), {
    group: 'you set',
    text: 'comma-separated allow-list of the origins the SPA is served from (not needed when it is served from the API’s own origin)',
  }),
  TRUST_PROXY: setting(
    z
      .string()
      .optional()
      .transform((text, ctx) => {
        const parsed = parseTrustProxy(text)
        if (typeof parsed === 'object' && !Array.isArray(parsed)) {
          ctx.addIssue({ code: 'custom', message: parsed.error })
          return z.NEVER
        }
        return parsed
      }),
    {
      group: 'you set',
      text: 'behind nginx, a load balancer or a CDN: the number of proxies in front (`1`–`32`), or their addresses / CIDRs (`127.0.0.1`, `10.0.0.0/8`, `loopback`, `uniquelocal`), as Express’s `trust proxy`. Rate limits, stream quotas, budgets and logs then use the client’s address from `X-Forwarded-For`; the header is ignored from any other peer. `true` is refused (it would trust every peer)',
      shown: 'off',
    },
  ),
  API_TOKEN: setting(
    z.preprocess(emptyAsUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
    {
      group: 'you set',
      text: '≥ 16 characters. When set, creating jobs needs `Authorization: Bearer …` (a private deployment whose users share it; the SPA asks for it once per browser). It does nothing else: a job’s id alone reads it, and its owner token (returned by `POST /api/jobs`) cancels it and approves its outline',
    },
  ),
  OPERATOR_TOKEN: setting(
    z.preprocess(emptyAsUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
    {
      group: 'you set',
      text: '≥ 16 characters, not the API token: lists every job (`GET /api/jobs`; `403` for everyone when unset), cancels or approves any job, reads `/metrics`. Never give it to the SPA',
    },
  ),
  LLM_PRICE_INPUT_PER_MTOK: setting(price(), {
    group: 'you set',
    text: 'USD per million prompt tokens of `OPENAI_MODEL`; with `LLM_PRICE_OUTPUT_PER_MTOK` (both or neither), a finished job’s usage carries its `cost` and `GET /api/config` gives the prices',
  }),
  LLM_PRICE_OUTPUT_PER_MTOK: setting(price(), {
    group: 'you set',
    text: 'USD per million output (completion) tokens of `OPENAI_MODEL`; see `LLM_PRICE_INPUT_PER_MTOK`',
  }),
  LLM_MAX_OUTPUT_TOKENS: setting(int(16, 1_000_000).default(4096), {
    group: 'you set',
    text: 'most tokens one model call may write: sent as `max_completion_tokens` (`max_tokens` to a server that refuses it), and enforced by inkflow too at ≈ 4 characters a token (the demo model obeys it too)',
  }),
  JOB_TOKEN_LIMIT: setting(int(0, 100_000_000).default(60_000), {
    group: 'you set',
    text: 'model tokens (prompt + output) one job may use; a call that could pass it is not made and the job fails with `job_token_limit` (`0`: off). A typical article takes 10–20k',
  }),
  DAILY_TOKENS_PER_CLIENT: setting(int(0, 1_000_000_000).default(300_000), {
    group: 'you set',
    text: 'model tokens one client (address) may spend per UTC day, counted or else estimated for every call (failed and cut ones too); then `POST /api/jobs` and approving one of its outlines (`PUT …/outline`) answer `429` until midnight UTC, saying when, and its jobs still queued, resumed or approved fail before their run’s first call (`daily_token_budget`) (`0`: off, and spend is not recorded). Kept in the store, so shared by every instance',
  }),
  RATE_LIMIT_PER_MINUTE: setting(int(0, 1_000_000).default(60), {
    group: 'tuning',
    text: 'new jobs and wrong tokens per client per minute (`0`: off); over it, `429` with `Retry-After`',
  }),
  MAX_QUEUED_JOBS: setting(int(1, 10_000_000).default(1000), {
    group: 'tuning',
    text: 'jobs queued and not started, and jobs waiting for their review; over it, `503` with `Retry-After`',
  }),
  MAX_STREAMS_PER_CLIENT: setting(int(1, 1_000_000).default(100), {
    group: 'tuning',
    text: 'open event streams per client (an IPv6 /56 is one client), per instance',
  }),
  MAX_STREAMS: setting(int(1, 10_000_000).default(20_000), {
    group: 'tuning',
    text: 'open event streams of one process in all; beyond it `503`',
  }),
  MAX_CONCURRENT_JOBS: setting(int(1, 10_000).default(8), {
    group: 'tuning',
    text: 'jobs run at once per worker process; the rest wait `queued`',
  }),
  HEARTBEAT_MS: setting(int(100, 60_000).default(15_000), {
    group: 'tuning',
    text: '`: ping` comment period on quiet streams (100–60000): keep it well below the read timeout of any proxy in front (`proxy_read_timeout 120s` in `deploy/nginx-inkflow.conf`), or the proxy cuts quiet streams',
  }),
  SLOW_READER_TIMEOUT_MS: setting(int(100, 3_600_000).default(30_000), {
    group: 'tuning',
    text: 'a stream whose client stops reading this long is dropped (it reconnects and replays)',
  }),
  LLM_TIMEOUT_MS: setting(int(1000, 3_600_000).default(60_000), {
    group: 'tuning',
    text: 'the longest wait for a model answer’s first words and between two of its deltas (keep-alive comments do not count); past it the call is retried (`llm_timeout`), carrying on from the text already sent',
  }),
  LLM_MAX_ATTEMPTS: setting(int(1, 20).default(3), {
    group: 'tuning',
    text: 'tries per model call that may end in a transport fault (429, 5xx, timeout, cut stream), with backoff honouring `Retry-After`',
  }),
  LLM_MAX_OUTPUT_ATTEMPTS: setting(int(1, 20).default(3), {
    group: 'tuning',
    text: 'tries per model call that may end in invalid output (an outline that does not parse or validate), counted apart',
  }),
  REVIEW_TIMEOUT: setting(duration(100).default(86_400_000), {
    group: 'tuning',
    text: 'how long a job waits for its outline review before it ends cancelled, `outline review expired` (`30m`, `24h`, `7d` or ms; at least 100 ms)',
    shown: '`24h`',
  }),
  STORE_OUTAGE_TIMEOUT: setting(duration(100).default(120_000), {
    group: 'tuning',
    text: 'how long a running job waits out a storage fault (a full disk, a busy SQLite file, Redis away) before it stops its model call and is left for recovery; it resumes in the same process once the store takes writes again (`30s`, `2m` or ms)',
    shown: '`2m`',
  }),
  JOB_TTL: setting(duration(1000).default(7 * 86_400_000), {
    group: 'tuning',
    text: 'how long finished jobs and their events are kept (`30m`, `12h`, `7d` or ms; at least 1 s)',
    shown: '`7d`',
  }),
  LOG_LEVEL: setting(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    { group: 'tuning', text: 'pino level (`fatal` … `trace`, `silent`)' },
  ),
  REDIS_KEY_PREFIX: setting(
    z
      .string()
      .regex(/^[\w.-]{1,64}$/, 'must be 1-64 letters, digits, _ . or -')
      .default('inkflow'),
    {
      group: 'tuning',
      text: 'redis mode: prefix of every key (BullMQ’s too), so several deployments can share a server',
    },
  ),
  STALL_INTERVAL_MS: setting(int(500, 600_000).default(5000), {
    group: 'tuning',
    text: 'redis mode: BullMQ lock duration and stalled-check period; a crashed worker’s job resumes on another within about twice this (500–600000)',
  }),
  DEMO_TOKEN_DELAY_MS: setting(int(0, 10_000).default(20), {
    group: 'tuning',
    text: 'pacing of the demo model between tokens (`0`: as fast as possible)',
  }),
  DEMO_TOKEN_STAMPS: setting(z.enum(['0', '1']).default('0'), {
    group: 'hook',
    text: 'benchmarks: `1` makes the demo model mark each section token with its time, `[t=<ms>]`',
  }),
  INKFLOW_FAILPOINT: setting(z.preprocess(emptyAsUndefined, z.enum(FAILPOINTS).optional()), {
    group: 'hook',
    text: 'crash tests: the process kills itself (SIGKILL) when it first reaches this point around a job’s end (`lib/failpoint.ts`)',
  }),
}

type SettingsShape = { [K in keyof typeof SETTINGS]: (typeof SETTINGS)[K]['schema'] }
const shape = Object.fromEntries(
  Object.entries(SETTINGS).map(([name, { schema }]) => [name, schema]),
) as SettingsShape

const SettingsSchema = z
  .object(shape)
  // A cost from one price alone would be wrong, not partial.
  .refine(
    (env) =>
      (env.LLM_PRICE_INPUT_PER_MTOK === undefined) ===
      (env.LLM_PRICE_OUTPUT_PER_MTOK === undefined),
    {
      message: 'set both LLM_PRICE_INPUT_PER_MTOK and LLM_PRICE_OUTPUT_PER_MTOK, or neither',
      path: ['LLM_PRICE_INPUT_PER_MTOK'],
    },
  )
  .transform((env) => ({
    host: env.HOST,
    port: env.PORT,
    storeUrl: env.STORE_URL,
    /** What no log line may show: the password in `STORE_URL`. */
    logSecrets: urlSecrets(env.STORE_URL),
    role: env.ROLE,
    redis: { keyPrefix: env.REDIS_KEY_PREFIX, stallIntervalMs: env.STALL_INTERVAL_MS },
    llm: {
      provider: env.LLM_PROVIDER ?? (env.OPENAI_API_KEY ? 'openai' : 'demo'),
      apiKey: env.OPENAI_API_KEY,
      baseUrl: env.OPENAI_BASE_URL,
      model: env.OPENAI_MODEL,
      maxOutputTokens: env.LLM_MAX_OUTPUT_TOKENS,
      demoTokenDelayMs: env.DEMO_TOKEN_DELAY_MS,
      demoTokenStamps: env.DEMO_TOKEN_STAMPS === '1',
      timeoutMs: env.LLM_TIMEOUT_MS,
      maxAttempts: env.LLM_MAX_ATTEMPTS,
      maxOutputAttempts: env.LLM_MAX_OUTPUT_ATTEMPTS,
      prices:
        env.LLM_PRICE_INPUT_PER_MTOK === undefined || env.LLM_PRICE_OUTPUT_PER_MTOK === undefined
          ? null
          : {
              inputPerMTok: env.LLM_PRICE_INPUT_PER_MTOK,
              outputPerMTok: env.LLM_PRICE_OUTPUT_PER_MTOK,
            },
    },
    apiToken: env.API_TOKEN,
    operatorToken: env.OPERATOR_TOKEN,
    trustProxy: env.TRUST_PROXY,
    budget: {
      jobTokenLimit: env.JOB_TOKEN_LIMIT,
      dailyTokensPerClient: env.DAILY_TOKENS_PER_CLIENT,
    },
    limits: {
      jobsPerMinute: env.RATE_LIMIT_PER_MINUTE,
      maxQueuedJobs: env.MAX_QUEUED_JOBS,
      streamsPerClient: env.MAX_STREAMS_PER_CLIENT,
      maxStreams: env.MAX_STREAMS,
      slowReaderTimeoutMs: env.SLOW_READER_TIMEOUT_MS,
    },
    heartbeatMs: env.HEARTBEAT_MS,
    maxConcurrentJobs: env.MAX_CONCURRENT_JOBS,
    corsOrigins: env.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    logLevel: env.LOG_LEVEL,
    jobTtlMs: env.JOB_TTL,
    reviewTimeoutMs: env.REVIEW_TIMEOUT,
    storeOutageTimeoutMs: env.STORE_OUTAGE_TIMEOUT,
    failpoint: env.INKFLOW_FAILPOINT,
  }))
  .refine((s) => s.role === 'all' || /^rediss?:/.test(s.storeUrl), {
    message: 'ROLE=api or ROLE=worker needs STORE_URL=redis://… (other stores serve one process)',
    path: ['ROLE'],
  })
  .refine((s) => s.apiToken === undefined || s.apiToken !== s.operatorToken, {
    message: 'must differ from API_TOKEN: the API token is shared with users, this one is not',
    path: ['OPERATOR_TOKEN'],
  })
  .refine((s) => s.llm.provider !== 'openai' || s.llm.apiKey, {
    message: 'OPENAI_API_KEY is required when LLM_PROVIDER=openai',
    path: ['OPENAI_API_KEY'],
  })

export type Settings = z.output<typeof SettingsSchema>

/** Thrown when a setting is invalid; its message names every bad variable. */
export class SettingsError extends Error {
  override name = 'SettingsError'
}

/** Parses settings from an environment (default `process.env`). */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const result = SettingsSchema.safeParse(env)
  if (result.success) return result.data
  const lines = result.error.issues.map(
    (i) => `  ${i.path.join('.') || '(settings)'}: ${i.message}`,
  )
  throw new SettingsError(`invalid settings:\n${lines.join('\n')}`)
}
