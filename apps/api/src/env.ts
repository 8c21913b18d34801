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
 * Every setting inkflow reads, with its default. This is the only file that reads
 * `process.env`; everything else receives a parsed `Settings`.
 */
const SettingsSchema = z
  .object({
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: int(0, 65535).default(8787),
    STORE_URL: z
      .string()
      .regex(
        /^(memory|sqlite:.+|rediss?:\/\/.+)$/,
        'must be memory, sqlite:<path> or redis://host:port',
      )
      .default('sqlite:./data/inkflow.db'),
    ROLE: z.enum(['all', 'api', 'worker']).default('all'),
    /** `redis` mode: prefix of every key (BullMQ's too), so deployments can share a server. */
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[\w.-]{1,64}$/, 'must be 1-64 letters, digits, _ . or -')
      .default('inkflow'),
    /** `redis` mode: job lock duration and stalled check; a dead worker's job resumes within ~2x. */
    STALL_INTERVAL_MS: int(500, 600_000).default(5000),
    LLM_PROVIDER: z.preprocess(emptyAsUndefined, z.enum(['openai', 'demo']).optional()),
    OPENAI_API_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
    OPENAI_BASE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
    OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
    DEMO_TOKEN_DELAY_MS: int(0, 10_000).default(20),
    /** Benchmarks: the demo model marks each section token with its time (`[t=<ms>]`). */
    DEMO_TOKEN_STAMPS: z.enum(['0', '1']).default('0'),
    /**
     * The `: ping` period of quiet event streams. Keep it well below the read timeout of any
     * proxy in front (`proxy_read_timeout 120s` in `deploy/nginx-inkflow.conf`), or the proxy
     * cuts quiet streams; capped at a minute, below every common proxy's default.
     */
    HEARTBEAT_MS: int(100, 60_000).default(15_000),
    MAX_CONCURRENT_JOBS: int(1, 10_000).default(8),
    CORS_ORIGINS: z.string().default(DEV_ORIGINS),
    /** Creating a job needs it when set (a private deployment); it does nothing else. */
    API_TOKEN: z.preprocess(
      emptyAsUndefined,
      z.string().min(16, 'must be at least 16 characters').optional(),
    ),
    /** Lists every job, controls any job, reads `/metrics`. Never give it to the SPA. */
    OPERATOR_TOKEN: z.preprocess(
      emptyAsUndefined,
      z.string().min(16, 'must be at least 16 characters').optional(),
    ),
    /**
     * Behind a reverse proxy or CDN: a hop count, or the proxies' addresses / CIDRs. Per-client
     * limits and logs then use the client's address from `X-Forwarded-For`. Default: off.
     */
    TRUST_PROXY: z
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
    /** Most tokens one model call may write (`max_completion_tokens`); the demo model obeys it too. */
    LLM_MAX_OUTPUT_TOKENS: int(16, 1_000_000).default(4096),
    /** Model tokens (prompt + output) one job may use; a call that could pass it is not made. 0: off. */
    JOB_TOKEN_LIMIT: int(0, 100_000_000).default(60_000),
    /** Model tokens per client (address) per UTC day; over it, new jobs get 429. 0: off. */
    DAILY_TOKENS_PER_CLIENT: int(0, 1_000_000_000).default(300_000),
    RATE_LIMIT_PER_MINUTE: int(0, 1_000_000).default(60),
    MAX_QUEUED_JOBS: int(1, 10_000_000).default(1000),
    MAX_STREAMS_PER_CLIENT: int(1, 1_000_000).default(100),
    /** Open event streams of one process in all; beyond it `503`. */
    MAX_STREAMS: int(1, 10_000_000).default(20_000),
    SLOW_READER_TIMEOUT_MS: int(100, 3_600_000).default(30_000),
    LLM_TIMEOUT_MS: int(1000, 3_600_000).default(60_000),
    /** Tries per model call that may end in a transport fault (429, 5xx, timeout, cut stream). */
    LLM_MAX_ATTEMPTS: int(1, 20).default(3),
    /** Tries per model call that may end in invalid output (an outline that does not parse). */
    LLM_MAX_OUTPUT_ATTEMPTS: int(1, 20).default(3),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    /** How long a job waits for its outline review before it is cancelled. */
    REVIEW_TIMEOUT: duration(100).default(86_400_000),
    /**
     * How long a running job waits out a storage fault (a full disk, Redis away) before it
     * stops its model call and is left for recovery (it resumes once the store is back).
     */
    STORE_OUTAGE_TIMEOUT: duration(100).default(120_000),
    /** How long finished jobs and their events are kept before the retention sweep. */
    JOB_TTL: duration(1000).default(7 * 86_400_000),
    /**
     * Tests only: kill the process (SIGKILL) when it first reaches this point around a job's
     * end (`lib/failpoint.ts`), to check that no crash leaves storage half-written.
     */
    INKFLOW_FAILPOINT: z.preprocess(emptyAsUndefined, z.enum(FAILPOINTS).optional()),
  })
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
