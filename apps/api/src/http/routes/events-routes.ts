import { isTerminalStatus } from '@inkflow/shared'
import { Router } from 'express'
import type { Logger } from 'pino'
import type { EventLog } from '../../events/event-log.js'
import type { JobStore } from '../../jobs/job-store.js'
import type { Metrics } from '../../observability/metrics.js'
import { clientKey } from '../client-key.js'
import { HttpProblem } from '../problem.js'
import { createHeartbeat } from '../sse/heartbeat.js'
import { createStreamFeed } from '../sse/stream-feed.js'
import { type OpenStream, startStreamSession } from '../sse/stream-session.js'
import type { StreamQuota } from '../stream-quota.js'
import { loadJob } from './jobs-routes.js'

const SEQ = /^\d{1,15}$/

/** `Last-Event-ID` header first, then the `lastEventId` query for clients that cannot set headers. */
function lastEventId(header: string | undefined, query: unknown): number {
  const raw = header ?? (typeof query === 'string' ? query : undefined)
  if (raw === undefined || raw.trim() === '') return 0
  if (!SEQ.test(raw.trim())) {
    throw new HttpProblem(
      400,
      'Invalid Last-Event-ID',
      'Last-Event-ID must be a non-negative integer',
    )
  }
  return Number(raw.trim())
}

export function eventsRoutes(deps: {
  jobs: JobStore
  /** The log every stream replays from, through this process's one feed. */
  log: EventLog
  heartbeatMs: number
  openStreams: Set<OpenStream>
  quota: StreamQuota
  slowReaderTimeoutMs: number
  metrics: Metrics
  logger: Logger
}): Router {
  const router = Router()
  const heartbeat = createHeartbeat(deps.heartbeatMs)
  const feed = createStreamFeed({ log: deps.log })
  router.get('/api/jobs/:id/events', async (req, res) => {
    const afterSeq = lastEventId(req.get('Last-Event-ID'), req.query.lastEventId)
    const job = await loadJob(deps.jobs, req.params.id)
    const release = deps.quota.acquire(clientKey(req))
    if (release === 'client') {
      deps.metrics.rejected.inc({ reason: 'streams_per_client' })
      throw new HttpProblem(429, 'Too many open streams', 'close some event streams first', {
        headers: { 'Retry-After': '5' },
      })
    }
    if (release === 'process') {
      // This process serves MAX_STREAMS already; another instance (or this one shortly) may not.
      deps.metrics.rejected.inc({ reason: 'streams_per_process' })
      throw new HttpProblem(503, 'Too many open streams', 'this server is at its stream limit', {
        headers: { 'Retry-After': '5' },
      })
    }
    deps.metrics.openStreams.inc()
    startStreamSession({
      slowReaderTimeoutMs: deps.slowReaderTimeoutMs,
      onSlowReaderDropped: () => deps.metrics.droppedSlowReaders.inc(),
      onReadError: (err) => {
        deps.metrics.streamReadErrors.inc()
        deps.logger.warn({ err, jobId: job.id }, 'an event stream could not read the log; it ends')
      },
      onClose: () => {
        release()
        deps.metrics.openStreams.dec()
      },
      req,
      res,
      feed,
      jobId: job.id,
      afterSeq,
      finished: isTerminalStatus(job.status),
      hasEnded: async () => {
        const now = await deps.jobs.get(job.id)
        return now === undefined || isTerminalStatus(now.status)
      },
      heartbeat,
      registry: deps.openStreams,
    })
  })
  return router
}
