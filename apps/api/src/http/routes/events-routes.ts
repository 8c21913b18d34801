import { isTerminalStatus } from '@inkflow/shared'
import { Router } from 'express'
import type { Metrics } from '../../observability/metrics.js'
import type { EventLog } from '../../store/event-log.js'
import type { JobStore } from '../../store/job-store.js'
import { type OpenStream, serveEventStream } from '../event-stream.js'
import { createHeartbeat } from '../heartbeat.js'
import type { StreamQuota } from '../limits.js'
import { HttpProblem } from '../problem.js'
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
  events: EventLog
  heartbeatMs: number
  openStreams: Set<OpenStream>
  quota: StreamQuota
  slowReaderTimeoutMs: number
  metrics: Metrics
}): Router {
  const router = Router()
  const heartbeat = createHeartbeat(deps.heartbeatMs)
  router.get('/api/jobs/:id/events', async (req, res) => {
    const afterSeq = lastEventId(req.get('Last-Event-ID'), req.query.lastEventId)
    const job = await loadJob(deps.jobs, req.params.id)
    const release = deps.quota.acquire(req.ip ?? 'unknown')
    if (!release) {
      deps.metrics.rejected.inc({ reason: 'streams_per_client' })
      throw new HttpProblem(429, 'Too many open streams', 'close some event streams first', {
        headers: { 'Retry-After': '5' },
      })
    }
    deps.metrics.openStreams.inc()
    serveEventStream({
      slowReaderTimeoutMs: deps.slowReaderTimeoutMs,
      onSlowReaderDropped: () => deps.metrics.droppedSlowReaders.inc(),
      onClose: () => {
        release()
        deps.metrics.openStreams.dec()
      },
      req,
      res,
      log: deps.events,
      jobId: job.id,
      afterSeq,
      finished: isTerminalStatus(job.status),
      heartbeat,
      registry: deps.openStreams,
    })
  })
  return router
}
