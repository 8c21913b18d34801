import { startLoadWorkers } from '../load/load-workers.js'
import type { ReaderTarget } from '../load/reader-pool.js'
import { startBaseline } from '../procs/baseline.js'
import { watchProcess } from '../procs/proc-stats.js'
import { round } from '../report/results.js'
import {
  cancelJobs,
  deliveryFigures,
  jobStatuses,
  postJobs,
  sourceAddresses,
  waitForStatus,
} from './common.js'

export interface FanOutPlan {
  jobs: number
  readersPerJob: number
  /** The API instances: jobs are POSTed to the first, readers spread over all. */
  servers: { host: string; port: number; baseUrl: string; pid: number }[]
  loadWorkers: number
  /** Jobs the servers run at once, all of them: held by blocker jobs while readers connect. */
  slots: number
  timeoutMs: number
  /** Stops the servers once measured, so they do not share the CPU with the baseline. */
  stopServers: () => Promise<unknown>
}

/** Source addresses per phase: ~2,500 connections each, far below one address's port range. */
const addressesFor = (streams: number) => sourceAddresses(Math.max(2, Math.ceil(streams / 2500)))

/**
 * The fan-out measurement shared by the `sqlite` and `redis` scenarios: 10,000 readers on 100
 * jobs that run at once, each stream followed to its terminal event; then the same shape
 * (streams, frames per stream, frame size, duration) on the bare baseline server, in the
 * same run.
 *
 * Like the baseline's, inkflow's streams are all open before the frames flow: every job
 * slot is first taken by a blocker job, the measured jobs are POSTed behind them (queued),
 * their readers connect, and only then are the blockers cancelled, so the measured jobs
 * start together with all their readers in place. Readers joining jobs already running would
 * spend most of the run connecting and replaying (66 of 75 s in `redis-fan-out`, measured):
 * that measures a join storm, against a baseline that has none. The time to connect is
 * reported (`openMs`).
 */
export async function runFanOut(plan: FanOutPlan) {
  const streams = plan.jobs * plan.readersPerJob
  const first = plan.servers[0]!
  const watches = plan.servers.map((s) => watchProcess(s.pid))
  const load = await startLoadWorkers(plan.loadWorkers)
  try {
    const blockers = await postJobs(first.baseUrl, plan.slots)
    await waitForStatus(first.baseUrl, blockers, 'running', 60_000)
    const jobs = await postJobs(first.baseUrl, plan.jobs)
    const targets: ReaderTarget[] = jobs.flatMap(({ id }) =>
      plan.servers.map((server, s) => ({
        path: `/api/jobs/${id}/events`,
        port: server.port,
        count:
          Math.floor(plan.readersPerJob / plan.servers.length) +
          (s < plan.readersPerJob % plan.servers.length ? 1 : 0),
      })),
    )
    const openMs = await load.open({
      host: first.host,
      port: first.port,
      targets,
      localAddresses: addressesFor(streams),
    })
    // A measured job that started before its readers were in would be measured half-joined.
    const startedEarly = (await jobStatuses(first.baseUrl, jobs)).filter((s) => s !== 'queued')
    if (startedEarly.length > 0) {
      throw new Error(`${startedEarly.length} measured jobs started while readers connected`)
    }
    const atStart = await load.report()
    const startedAt = Date.now()
    for (const w of watches) w.start()
    await cancelJobs(first.baseUrl, blockers)
    const report = await load.wait(plan.timeoutMs)
    const servers = watches.map((w) => w.stop())
    const inkflow = {
      ...deliveryFigures(report, streams, startedAt),
      openMs,
      serverCpuPct: round(servers.reduce((n, s) => n + s.cpuPercent, 0)),
      serverPeakRssMiB: round(servers.reduce((n, s) => n + s.peakRssBytes, 0) / 2 ** 20),
      loadGenCpuPct: round((100 * (report.cpuMs - atStart.cpuMs)) / servers[0]!.wallMs),
    }
    await load.stop()
    await plan.stopServers()
    return { inkflow, baseline: await runBaseline(plan, inkflow) }
  } finally {
    await load.stop()
  }
}

/** The same number of streams, frames per stream, frame size and duration, on bare node:http. */
async function runBaseline(
  plan: FanOutPlan,
  ink: { frames: number; streams: number; avgFrameBytes: number; spanMs: number },
) {
  const streams = plan.jobs * plan.readersPerJob
  const framesPerStream = Math.max(2, Math.round(ink.frames / Math.max(1, ink.streams)))
  const baseline = await startBaseline()
  const load = await startLoadWorkers(plan.loadWorkers)
  try {
    const targets = Array.from({ length: plan.jobs }, (_, i) => ({
      path: baseline.path(i),
      count: plan.readersPerJob,
    }))
    await load.open({
      host: baseline.host,
      port: baseline.port,
      targets,
      localAddresses: addressesFor(streams),
    })
    const watch = watchProcess(baseline.pid)
    watch.start()
    const played = baseline.play({
      channels: plan.jobs,
      frames: framesPerStream - 1,
      intervalMs: Math.max(1, Math.round(ink.spanMs / framesPerStream)),
      frameBytes: ink.avgFrameBytes,
    })
    const report = await load.wait(plan.timeoutMs)
    await played
    const server = watch.stop()
    return {
      ...deliveryFigures(report, streams),
      serverCpuPct: round(server.cpuPercent),
      serverPeakRssMiB: round(server.peakRssBytes / 2 ** 20),
      loadGenCpuPct: round((100 * report.cpuMs) / server.wallMs),
    }
  } finally {
    await load.stop()
    await baseline.stop()
  }
}
