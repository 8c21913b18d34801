import { startLoadWorkers } from '../load/load-workers.js'
import type { BenchOptions } from '../options.js'
import { startApi } from '../procs/api-server.js'
import { watchProcess } from '../procs/proc-stats.js'
import { check, round, type ScenarioResult } from '../report/results.js'
import { deliveryFigures, postJobs, sourceAddresses } from './common.js'

/** Jobs running at once: enough to keep both cores busy while some wait on the store. */
const CONCURRENCY = 50

/**
 * (c) Whole jobs per second when the model costs nothing (demo at 0 ms a token): what the
 * workflow, the store and the streams cost per job. All jobs are POSTed at once, each gets
 * one reader; the figure is jobs / (last `job.completed` received − first POST).
 */
export async function throughput(options: BenchOptions): Promise<ScenarioResult> {
  const count = options.throughputJobs
  const api = await startApi(options.apiMain, {
    STORE_URL: options.storeUrl('throughput'),
    DEMO_TOKEN_DELAY_MS: '0',
    MAX_CONCURRENT_JOBS: String(CONCURRENCY),
  })
  const load = await startLoadWorkers(1)
  try {
    const watch = watchProcess(api.pid)
    watch.start()
    const startedAt = Date.now()
    const jobs = await postJobs(api.baseUrl, count)
    const postedMs = Date.now() - startedAt
    await load.open({
      host: api.host,
      port: api.port,
      targets: jobs.map(({ id }) => ({ path: `/api/jobs/${id}/events`, count: 1 })),
      localAddresses: sourceAddresses(2),
    })
    const report = await load.wait(120_000)
    const server = watch.stop()
    const wallMs = Math.max(1, report.lastFrameAt - startedAt)
    const jobsPerSec = round((1000 * report.completed) / wallMs)
    const delivery = deliveryFigures(report, count)
    const figures = {
      jobs: count,
      concurrency: CONCURRENCY,
      postedMs,
      wallMs,
      jobsPerSec,
      ...delivery,
      serverCpuPct: round(server.cpuPercent),
      serverPeakRssMiB: round(server.peakRssBytes / 2 ** 20),
      loadGenCpuPct: round((100 * report.cpuMs) / server.wallMs),
    }
    return {
      scenario: 'throughput',
      summary:
        `${jobsPerSec} jobs/s (${count} jobs in ${(wallMs / 1000).toFixed(1)} s, ` +
        `${Math.round(delivery.frames / count)} events each), server CPU ${figures.serverCpuPct} %, ` +
        `load gen CPU ${figures.loadGenCpuPct} %`,
      targets: [
        check('jobs/s', jobsPerSec, '>=', 200),
        check('complete %', delivery.completePct, '>=', 100),
        check('gaps+dups', delivery.gaps + delivery.duplicates, '<=', 0),
      ],
      figures,
    }
  } finally {
    await load.stop()
    await api.stop()
  }
}
