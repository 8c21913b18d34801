import type { BenchOptions } from '../options.js'
import { startApi } from '../procs/api-server.js'
import { check, round, type ScenarioResult } from '../report/results.js'
import { runFanOut } from './fan-out-run.js'

/** Turns a fan-out run into the table row and the targets of the issue. */
export function fanOutResult(
  scenario: string,
  run: Awaited<ReturnType<typeof runFanOut>>,
  p99Target: number,
  extraTargets = true,
): ScenarioResult {
  const { inkflow: ink, baseline: base } = run
  const ratio = round(ink.framesPerSec / Math.max(1, base.framesPerSec))
  const targets = [
    check('complete %', ink.completePct, '>=', 100),
    check('gaps+dups', ink.gaps + ink.duplicates, '<=', 0),
    check('p99 ms', ink.delayP99Ms, '<', p99Target),
  ]
  if (extraTargets) {
    targets.push(check('p50 ms', ink.delayP50Ms, '<', 10))
    targets.push(check('frames/s vs bare', ratio, '>=', 0.5))
  }
  return {
    scenario,
    summary:
      `${ink.streams} streams, ${ink.framesPerSec} frames/s (bare ${base.framesPerSec}, ${ratio}×), ` +
      `delay p50/p99 ${ink.delayP50Ms}/${ink.delayP99Ms} ms (bare ${base.delayP50Ms}/${base.delayP99Ms}), ` +
      `token age p50/p99 ${ink.tokenAgeP50Ms}/${ink.tokenAgeP99Ms} ms, ` +
      `server CPU ${ink.serverCpuPct} % (bare ${base.serverCpuPct} %), load gen CPU ${ink.loadGenCpuPct} %`,
    targets,
    figures: { inkflow: ink, baseline: base, framesRatio: ratio },
  }
}

/** (a) 100 jobs × 100 readers on one instance, SQLite, demo model at 20 ms a token. */
export async function fanOut(options: BenchOptions): Promise<ScenarioResult> {
  const { jobs, readersPerJob, tokenDelayMs } = options.fanOut
  const api = await startApi(options.apiMain, {
    STORE_URL: options.storeUrl('fan-out'),
    DEMO_TOKEN_DELAY_MS: String(tokenDelayMs),
    DEMO_TOKEN_STAMPS: '1',
    MAX_CONCURRENT_JOBS: String(jobs),
  })
  try {
    const run = await runFanOut({
      jobs,
      readersPerJob,
      servers: [api],
      loadWorkers: 2,
      slots: jobs,
      timeoutMs: 180_000,
      stopServers: () => api.stop(),
    })
    return fanOutResult('fan-out', run, 100)
  } finally {
    await api.stop()
  }
}
