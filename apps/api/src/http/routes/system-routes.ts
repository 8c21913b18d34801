import type { ServerConfig } from '@inkflow/shared'
import { Router } from 'express'
import type { JobStore } from '../../jobs/job-store.js'
import type { StoreHealth } from '../../jobs/store-health.js'
import { HttpProblem } from '../problem.js'

/** Longest readiness waits for its probe write (a paused Redis answers nothing). */
const PROBE_TIMEOUT_MS = 2000

/**
 * `/api/config`, liveness and readiness. Ready means the store takes a write now: `503`
 * while writes fail (`storeHealth`), else whatever a probe write (`JobStore.ping`) says
 * within `PROBE_TIMEOUT_MS`.
 */
export function systemRoutes(deps: {
  config: ServerConfig
  jobs: JobStore
  storeHealth?: StoreHealth
}): Router {
  const router = Router()
  router.get('/api/config', (_req, res) => {
    res.json(deps.config)
  })
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' })
  })
  router.get('/readyz', async (_req, res) => {
    const notReady = () =>
      new HttpProblem(503, 'Not ready', 'the store cannot take writes', {
        headers: { 'Retry-After': '5' },
      })
    if (deps.storeHealth?.writable === false) throw notReady()
    try {
      await withTimeout(deps.jobs.ping(), PROBE_TIMEOUT_MS)
    } catch (err) {
      if (deps.storeHealth?.isTransient(err)) deps.storeHealth.fault(err)
      throw notReady()
    }
    res.json({ status: 'ready' })
  })
  return router
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}
