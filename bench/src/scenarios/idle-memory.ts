import { startLoadWorkers } from '../load/load-workers.js'
import type { BenchOptions } from '../options.js'
import { startApi } from '../procs/api-server.js'
import { startBaseline } from '../procs/baseline.js'
import { rssOf } from '../procs/proc-stats.js'
import { check, round, type ScenarioResult } from '../report/results.js'
import { postJobs, sleep, sourceAddresses } from './common.js'

const READERS_PER_JOB = 100
/** Time for allocation to settle after the last stream opened. */
const SETTLE_MS = 2000

/** RSS growth per stream while `open` streams sit idle on a server process. */
async function perStream(pid: number, open: () => Promise<number>) {
  await sleep(500)
  const before = rssOf(pid)
  const streams = await open()
  await sleep(SETTLE_MS)
  const after = rssOf(pid)
  return {
    streams,
    rssBeforeMiB: round(before / 2 ** 20),
    rssAfterMiB: round(after / 2 ** 20),
    bytesPerStream: Math.round((after - before) / Math.max(1, streams)),
  }
}

/**
 * (d) RSS per idle open stream: streams on jobs that wait in the queue (one job runs at a
 * time, at 10 s a token, so nothing else moves), against the bare server holding as many.
 */
export async function idleMemory(options: BenchOptions): Promise<ScenarioResult> {
  const streams = options.idleStreams
  const jobs = Math.ceil(streams / READERS_PER_JOB)
  const api = await startApi(options.apiMain, {
    STORE_URL: options.storeUrl('idle-memory'),
    DEMO_TOKEN_DELAY_MS: '10000',
    MAX_CONCURRENT_JOBS: '1',
  })
  const load = await startLoadWorkers(1)
  let inkflow: Awaited<ReturnType<typeof perStream>>
  try {
    const ids = (await postJobs(api.baseUrl, jobs + 1)).slice(1).map((j) => j.id)
    inkflow = await perStream(api.pid, async () => {
      await load.open({
        host: api.host,
        port: api.port,
        targets: ids.map((id) => ({ path: `/api/jobs/${id}/events`, count: READERS_PER_JOB })),
        localAddresses: sourceAddresses(2),
      })
      return (await load.report()).open
    })
  } finally {
    await load.stop()
    await api.stop()
  }
  const baseline = await startBaseline()
  const bareLoad = await startLoadWorkers(1)
  let bare: Awaited<ReturnType<typeof perStream>>
  try {
    bare = await perStream(baseline.pid, async () => {
      await bareLoad.open({
        host: baseline.host,
        port: baseline.port,
        targets: Array.from({ length: jobs }, (_, i) => ({
          path: baseline.path(i),
          count: READERS_PER_JOB,
        })),
        localAddresses: sourceAddresses(2),
      })
      return (await baseline.stats()).open
    })
  } finally {
    await bareLoad.stop()
    await baseline.stop()
  }
  const kb = round(inkflow.bytesPerStream / 1024)
  return {
    scenario: 'idle-memory',
    summary: `${inkflow.streams} idle streams: ${kb} KB each (bare node:http ${round(bare.bytesPerStream / 1024)} KB), RSS ${inkflow.rssBeforeMiB} → ${inkflow.rssAfterMiB} MiB`,
    targets: [
      check('KB/stream', kb, '<=', 30),
      check('streams open', inkflow.streams, '>=', streams),
    ],
    figures: { inkflow, baseline: bare },
  }
}
