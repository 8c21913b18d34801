import type { ServerConfig } from '@inkflow/shared'
import cors from 'cors'
import express, { type Express } from 'express'
import type { Logger } from 'pino'
import type { OpenStream } from './http/event-stream.js'
import { errorHandler, notFound } from './http/problem.js'
import { eventsRoutes } from './http/routes/events-routes.js'
import { jobsRoutes } from './http/routes/jobs-routes.js'
import { systemRoutes } from './http/routes/system-routes.js'
import type { JobService } from './jobs/job-service.js'
import type { EventLog } from './store/event-log.js'
import type { JobStore } from './store/job-store.js'

export interface AppDeps {
  jobs: JobStore
  events: EventLog
  service: JobService
  config: ServerConfig
  logger: Logger
  /** Origins allowed by CORS (the SPA's CDN). */
  corsOrigins: string[]
  heartbeatMs: number
  /** Open event streams, so shutdown can close them with a reconnect hint. */
  openStreams?: Set<OpenStream>
}

/** The HTTP API, with every dependency injected so tests can run it on any store or model. */
export function createApp(deps: AppDeps): Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('query parser', 'simple')
  app.use(
    cors({
      origin: deps.corsOrigins,
      exposedHeaders: ['Location', 'Idempotent-Replayed', 'Retry-After'],
      allowedHeaders: ['Content-Type', 'Last-Event-ID', 'Idempotency-Key', 'Authorization'],
      maxAge: 600,
    }),
  )
  app.use(express.json({ limit: '16kb', type: ['application/json', 'application/*+json'] }))
  app.use(systemRoutes(deps))
  app.use(jobsRoutes({ jobs: deps.jobs, service: deps.service }))
  app.use(
    eventsRoutes({
      jobs: deps.jobs,
      events: deps.events,
      heartbeatMs: deps.heartbeatMs,
      openStreams: deps.openStreams ?? new Set(),
    }),
  )
  app.use(notFound)
  app.use(errorHandler(deps.logger))
  return app
}
