import type { ServerConfig } from '@inkflow/shared'
import cors from 'cors'
import express, { type Express } from 'express'
import type { Store as RateLimitStore } from 'express-rate-limit'
import type { Logger } from 'pino'
import { requireToken } from './http/auth.js'
import type { OpenStream } from './http/event-stream.js'
import { createStreamQuota, jobCreationLimit } from './http/limits.js'
import { buildOpenApiDocument } from './http/openapi.js'
import { errorHandler, notFound } from './http/problem.js'
import { requestLogger } from './http/request-logger.js'
import { eventsRoutes } from './http/routes/events-routes.js'
import { jobsRoutes } from './http/routes/jobs-routes.js'
import { systemRoutes } from './http/routes/system-routes.js'
import { securityHeaders } from './http/security-headers.js'
import type { JobService } from './jobs/job-service.js'
import type { Metrics } from './observability/metrics.js'
import type { EventLog } from './store/event-log.js'
import type { JobStore } from './store/job-store.js'

export interface AppDeps {
  jobs: JobStore
  events: EventLog
  service: JobService
  config: ServerConfig
  logger: Logger
  metrics: Metrics
  /** Origins allowed by CORS (the SPA's CDN). */
  corsOrigins: string[]
  heartbeatMs: number
  /** When set, creating, listing and cancelling jobs need `Authorization: Bearer <token>`. */
  apiToken?: string
  limits: {
    /** New jobs per client IP per minute; 0 turns the limit off. */
    jobsPerMinute: number
    /** Open event streams per client IP. */
    streamsPerClient: number
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
  app.use(requestLogger(deps.logger))
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
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics())
  })
  app.use(
    jobsRoutes({
      jobs: deps.jobs,
      service: deps.service,
      auth: requireToken(deps.apiToken),
      createLimit: jobCreationLimit({
        perMinute: deps.limits.jobsPerMinute,
        metrics: deps.metrics,
        store: deps.rateLimitStore,
      }),
    }),
  )
  app.use(
    eventsRoutes({
      jobs: deps.jobs,
      events: deps.events,
      heartbeatMs: deps.heartbeatMs,
      openStreams: deps.openStreams ?? new Set(),
      quota: createStreamQuota(deps.limits.streamsPerClient),
      slowReaderTimeoutMs: deps.limits.slowReaderTimeoutMs,
      metrics: deps.metrics,
    }),
  )
  app.use(notFound)
  app.use(errorHandler(deps.logger))
  return app
}
