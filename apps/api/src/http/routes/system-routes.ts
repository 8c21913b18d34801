import type { ServerConfig } from '@inkflow/shared'
import { Router } from 'express'
import type { JobStore } from '../../jobs/job-store.js'
import { HttpProblem } from '../problem.js'

/** `/api/config`, liveness and readiness. */
export function systemRoutes(deps: { config: ServerConfig; jobs: JobStore }): Router {
  const router = Router()
  router.get('/api/config', (_req, res) => {
    res.json(deps.config)
  })
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' })
  })
  router.get('/readyz', async (_req, res) => {
    try {
      await deps.jobs.ping()
    } catch {
      throw new HttpProblem(503, 'Not ready', 'the store is not reachable')
    }
    res.json({ status: 'ready' })
  })
  return router
}
