import type { ServerConfig } from '@inkflow/shared'
import cors from 'cors'
import express, { type Express } from 'express'
import type { Store as RateLimitStore } from 'express-rate-limit'
import type { Logger } from 'pino'
import type { EventLog } from '../events/event-log.js'
import type { JobService } from '../jobs/job-service.js'
import type { JobStore } from '../jobs/job-store.js'
import type { OutlineReview } from '../jobs/outline-review.js'
import type { SpendLedger } from '../jobs/spend-ledger.js'
import type { StoreHealth } from '../jobs/store-health.js'
import type { TrustProxy } from '../lib/trust-proxy.js'
import type { Metrics } from '../observability/metrics.js'
import { createAccess } from './auth.js'
import { createDailyBudget } from './daily-budget.js'
import { warnOnUntrustedForwarding } from './forwarded-warning.js'
import { buildOpenApiDocument } from './openapi.js'
import { errorHandler, notFound } from './problem.js'
import { createClientRateLimit } from './rate-limit.js'
import { requestLogger } from './request-logger.js'
import { eventsRoutes } from './routes/events-routes.js'
import { jobsRoutes } from './routes/jobs-routes.js'
import { outlineRoutes } from './routes/outline-routes.js'
import { revisionRoutes } from './routes/revision-routes.js'
import { systemRoutes } from './routes/system-routes.js'
import { securityHeaders } from './security-headers.js'
import type { OpenStream } from './sse/stream-session.js'
import { createStreamQuota } from './stream-quota.js'

export interface AppDeps {
  jobs: JobStore
  /** Where event streams read from, through one fan-out of followed jobs (`sse/stream-feed.ts`). */
  events: EventLog
  service: JobService
  /** Approves the outline of a job waiting for its review. */
  review: OutlineReview
  config: ServerConfig
  logger: Logger
  metrics: Metrics
  /**
   * Whether the store takes writes: `/readyz` and `POST /api/jobs` answer `503` while it does
   * not, and a storage fault that may pass is a `503`, never a `500`. Absent: always writable.
   */
  storeHealth?: StoreHealth
  /** Origins allowed by CORS (the SPA's CDN). */
  corsOrigins: string[]
  heartbeatMs: number
  /** `JOB_TTL`: how long ended jobs are kept, which their views tell (`expiresAt`). */
  jobTtlMs: number
  /**
   * `API_TOKEN`: when set, creating jobs needs `Authorization: Bearer <token>`; it does
   * nothing else. Unset: anyone may create, within the rate limit and budget.
   */
  apiToken?: string
  /**
   * `OPERATOR_TOKEN`: lists every job, controls any job and reads `/metrics`. Unset: nobody
   * lists, only a job's owner token controls it, and `/metrics` is open (keep it off the
   * public side of the proxy: `deploy/nginx-inkflow.conf` does).
   */
  operatorToken?: string
  /**
   * Express's `trust proxy` (`TRUST_PROXY`): which peers' `X-Forwarded-For` names the client
   * that rate limits, stream quotas and logs count. Default false: the socket's peer.
   */
  trustProxy?: TrustProxy
  /**
   * The daily token budget per client (`DAILY_TOKENS_PER_CLIENT`) and the ledger of what each
   * client spent. Absent: no budget (compose leaves it out, and the ledger with it, when the
   * setting is 0).
   */
  budget?: { perDay: number; ledger: SpendLedger }
  limits: {
    /** New jobs and failed token checks per client per minute; 0 turns the limit off. */
    jobsPerMinute: number
    /** Open event streams per client (an IPv6 /56 is one client). */
    streamsPerClient: number
    /** Open event streams of this process in all; beyond it `503`. Default: no cap. */
    maxStreams?: number
    /** A stream whose client has not read for this long is dropped. */
    slowReaderTimeoutMs: number
  }
  /** Shared rate-limit counters (Redis) when several instances serve one API; in-process otherwise. */
  rateLimitStore?: RateLimitStore
  /** Open event streams, so shutdown can close them with a reconnect hint. */
  openStreams?: Set<OpenStream>
}

/** The HTTP API, with every dependency injected so tests can run it on any store or model. */
export function createApp(deps: AppDeps): Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('query parser', 'simple')
  // Responses are live job state: hashing every body for an ETag cost more than it saved.
  app.set('etag', false)
  // Read by `req.ip`, which every per-client limit keys on; false: the socket's peer.
  app.set('trust proxy', deps.trustProxy ?? false)
  app.use(requestLogger(deps.logger))
  if (!deps.trustProxy) app.use(warnOnUntrustedForwarding(deps.logger))
  // The SPA lives on another origin (a CDN): its fetches are CORS, so resources may be shared.
  app.use(securityHeaders({ crossOriginResourcePolicy: { policy: 'cross-origin' } }))
  app.use(
    cors({
      origin: deps.corsOrigins,
      exposedHeaders: ['Location', 'Idempotent-Replayed', 'Retry-After', 'X-Request-Id'],
      allowedHeaders: [
        'Content-Type',
        'Last-Event-ID',
        'Idempotency-Key',
        'Authorization',
        'X-Request-Id',
      ],
      maxAge: 600,
    }),
  )
  app.use(express.json({ limit: '16kb', type: ['application/json', 'application/*+json'] }))
  app.use(systemRoutes(deps))
  const openApi = buildOpenApiDocument()
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApi)
  })
  const rateLimit = createClientRateLimit({
    perMinute: deps.limits.jobsPerMinute,
    metrics: deps.metrics,
    store: deps.rateLimitStore,
  })
  const access = createAccess({
    apiToken: deps.apiToken,
    operatorToken: deps.operatorToken,
    limit: rateLimit,
  })
  const budget = createDailyBudget({
    perDay: deps.budget?.perDay ?? 0,
    ledger: deps.budget?.ledger,
    metrics: deps.metrics,
  })
  app.get('/metrics', access.metrics, async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics())
  })
  app.use(
    jobsRoutes({
      jobs: deps.jobs,
      service: deps.service,
      storeWritable: deps.storeHealth && (() => deps.storeHealth?.writable !== false),
      access,
      createLimit: { rate: rateLimit.creation, budget: budget.creation },
      jobTtlMs: deps.jobTtlMs,
    }),
  )
  app.use(
    revisionRoutes({
      jobs: deps.jobs,
      service: deps.service,
      owner: access.owner,
      createLimit: { rate: rateLimit.creation, budget: budget.creation },
      storeWritable: deps.storeHealth && (() => deps.storeHealth?.writable !== false),
    }),
  )
  app.use(
    outlineRoutes({
      jobs: deps.jobs,
      review: deps.review,
      owner: access.owner,
      budget,
      jobTtlMs: deps.jobTtlMs,
    }),
  )
  app.use(
    eventsRoutes({
      jobs: deps.jobs,
      log: deps.events,
      heartbeatMs: deps.heartbeatMs,
      openStreams: deps.openStreams ?? new Set(),
      quota: createStreamQuota({
        perClient: deps.limits.streamsPerClient,
        perProcess: deps.limits.maxStreams,
      }),
      slowReaderTimeoutMs: deps.limits.slowReaderTimeoutMs,
      metrics: deps.metrics,
      logger: deps.logger,
    }),
  )
  app.use(notFound)
  app.use(errorHandler(deps.logger, deps.storeHealth))
  return app
}
