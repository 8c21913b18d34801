import autocannon from 'autocannon'
import type { BenchOptions } from '../options.js'
import { startApi } from '../procs/api-server.js'
import { watchProcess } from '../procs/proc-stats.js'
import { check, round, type ScenarioResult } from '../report/results.js'

/** autocannon's default: enough to keep the server busy without queueing inside it. */
const CONNECTIONS = 10

/**
 * (b) POST /api/jobs at full speed for a while (autocannon, in the harness process). Every
 * job created also runs, at the default concurrency and pacing, as it would in production.
 */
export async function submit(options: BenchOptions): Promise<ScenarioResult> {
  const api = await startApi(options.apiMain, { STORE_URL: options.storeUrl('submit') })
  try {
    const watch = watchProcess(api.pid)
    const cpu = process.cpuUsage()
    watch.start()
    const result = await autocannon({
      url: `${api.baseUrl}/api/jobs`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic: 'how sourdough starters work' }),
      connections: CONNECTIONS,
      duration: options.submitSeconds,
    })
    const server = watch.stop()
    const used = process.cpuUsage(cpu)
    const reqPerSec = round(result.requests.average)
    const accepted = result['2xx']
    const figures = {
      connections: CONNECTIONS,
      seconds: options.submitSeconds,
      requests: result.requests.total,
      accepted,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      reqPerSec,
      latencyP50Ms: result.latency.p50,
      latencyP99Ms: result.latency.p99,
      latencyMaxMs: result.latency.max,
      serverCpuPct: round(server.cpuPercent),
      loadGenCpuPct: round((100 * (used.user + used.system)) / 1000 / server.wallMs),
    }
    return {
      scenario: 'submit',
      summary:
        `${reqPerSec} req/s, p50/p99 ${figures.latencyP50Ms}/${figures.latencyP99Ms} ms, ` +
        `${figures.non2xx} non-2xx, server CPU ${figures.serverCpuPct} %, load gen CPU ${figures.loadGenCpuPct} %`,
      targets: [
        check('req/s', reqPerSec, '>=', 2000),
        check('p99 ms', figures.latencyP99Ms, '<', 20),
        check('non-2xx', figures.non2xx + figures.errors, '<=', 0),
      ],
      figures,
    }
  } finally {
    await api.stop()
  }
}
