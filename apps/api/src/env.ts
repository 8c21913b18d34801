import { z } from 'zod'

/** The dev server's origins, allowed by default so `pnpm dev` works without settings. */
const DEV_ORIGINS = 'http://localhost:5173,http://127.0.0.1:5173'

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max)
const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v)

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
    LLM_PROVIDER: z.preprocess(emptyAsUndefined, z.enum(['openai', 'demo']).optional()),
    OPENAI_API_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
    OPENAI_BASE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
    OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
    DEMO_TOKEN_DELAY_MS: int(0, 10_000).default(20),
    HEARTBEAT_MS: int(100, 3_600_000).default(15_000),
    MAX_CONCURRENT_JOBS: int(1, 10_000).default(8),
    CORS_ORIGINS: z.string().default(DEV_ORIGINS),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  })
  .transform((env) => ({
    host: env.HOST,
    port: env.PORT,
    storeUrl: env.STORE_URL,
    role: env.ROLE,
    llm: {
      provider: env.LLM_PROVIDER ?? (env.OPENAI_API_KEY ? 'openai' : 'demo'),
      apiKey: env.OPENAI_API_KEY,
      baseUrl: env.OPENAI_BASE_URL,
      model: env.OPENAI_MODEL,
      demoTokenDelayMs: env.DEMO_TOKEN_DELAY_MS,
    },
    heartbeatMs: env.HEARTBEAT_MS,
    maxConcurrentJobs: env.MAX_CONCURRENT_JOBS,
    corsOrigins: env.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    logLevel: env.LOG_LEVEL,
  }))
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
