import { type LoadReport, startLoadWorkers } from '../load/load-workers.js'
import type { ReaderPoolOptions } from '../load/reader-pool.js'
import type { ApiServer } from '../procs/api-server.js'
import { round } from '../report/results.js'
import { percentile } from '../stats/histogram.js'

let phase = 0
/** A per-run second octet, so a re-run within TIME_WAIT (60 s) binds fresh source ports. */
const RUN_OCTET = 1 + (Math.floor(Date.now() / 1000) % 250)

/**
 * Fresh loopback source addresses for one phase (127.r.p.1…n). 10,000 connections from one
 * address would use a third of its ephemeral ports and leave them in TIME_WAIT for the next.
 */
export function sourceAddresses(count: number): string[] {
  phase++
  return Array.from({ length: count }, (_, i) => `127.${RUN_OCTET}.${phase}.${i + 1}`)
}

/** Runs `task(0 … count-1)`, `concurrency` at a time; resolves with the results in order. */
async function pooled<T>(count: number, task: (i: number) => Promise<T>, concurrency = 32) {
  const results: T[] = []
  let next = 0
  const one = async () => {
    while (next < count) {
      const i = next++
      results[i] = await task(i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, one))
  return results
}

/** POSTs `count` jobs; resolves with their ids, owner tokens (which cancel them) and POST times. */
export function postJobs(baseUrl: string, count: number) {
  return pooled(count, async (i) => {
    const postedAt = Date.now()
    const res = await fetch(`${baseUrl}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic: `bench topic ${i % 50}` }),
    })
    if (res.status !== 202) throw new Error(`POST /api/jobs: ${res.status} ${await res.text()}`)
    const { id, ownerToken } = (await res.json()) as { id: string; ownerToken: string }
    return { id, ownerToken, postedAt }
  })
}

/** Each job's `status` (GET /api/jobs/:id). */
export function jobStatuses(baseUrl: string, jobs: { id: string }[]) {
  return pooled(jobs.length, async (i) => {
    const res = await fetch(`${baseUrl}/api/jobs/${jobs[i]!.id}`)
    if (res.status !== 200) throw new Error(`GET /api/jobs/:id: ${res.status}`)
    return ((await res.json()) as { status: string }).status
  })
}

/** Polls until every job has `status`; throws after `timeoutMs`. */
export async function waitForStatus(
  baseUrl: string,
  jobs: { id: string }[],
  status: string,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const statuses = await jobStatuses(baseUrl, jobs)
    const behind = statuses.filter((s) => s !== status).length
    if (behind === 0) return
    if (Date.now() > deadline) throw new Error(`${behind} of ${jobs.length} jobs not ${status}`)
    await sleep(100)
  }
}

/** Cancels every job (POST /api/jobs/:id/cancel with its owner token). */
export async function cancelJobs(baseUrl: string, jobs: { id: string; ownerToken: string }[]) {
  await pooled(jobs.length, async (i) => {
    const { id, ownerToken } = jobs[i]!
    const res = await fetch(`${baseUrl}/api/jobs/${id}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ownerToken}` },
    })
    await res.arrayBuffer()
    if (res.status !== 202) throw new Error(`POST /api/jobs/:id/cancel: ${res.status}`)
  })
}

/**
 * The delivery figures every streaming scenario reports; rates over the frames' span, from
 * `from` when given (the moment the measured frames started to flow).
 */
export function deliveryFigures(load: LoadReport, expectedStreams: number, from = 0) {
  const spanMs = Math.max(1, load.lastFrameAt - Math.max(load.firstFrameAt, from))
  return {
    streams: expectedStreams,
    completed: load.completed,
    completePct: round((100 * load.completed) / expectedStreams),
    errors: load.errors,
    errorSamples: load.errorSamples,
    gaps: load.gaps,
    duplicates: load.duplicates,
    frames: load.frames,
    framesPerSec: Math.round((1000 * load.frames) / spanMs),
    avgFrameBytes: Math.round(load.bytes / Math.max(1, load.frames)),
    liveEvents: load.delay.total,
    replayedEvents: load.replayed,
    delayP50Ms: percentile(load.delay, 50),
    delayP99Ms: percentile(load.delay, 99),
    delayMaxMs: load.delay.max,
    // What a reader feels: a token's age on arrival, including its wait to be coalesced
    // into an event, which comes before the event's `ts` (stamped demo tokens only).
    tokenAgeP50Ms: load.tokenAge.total ? percentile(load.tokenAge, 50) : null,
    tokenAgeP99Ms: load.tokenAge.total ? percentile(load.tokenAge, 99) : null,
    spanMs,
    loadGenCpuPct: round((100 * load.cpuMs) / spanMs),
  }
}

/**
 * One burst from a load worker: a job POSTed per body, all at once, then one reader each
 * (from a fresh source address), `watch` saying what the readers time. Resolves with the
 * jobs and the readers' report once every stream has ended or `timeoutMs` has passed.
 */
export async function burstOfJobs(
  api: ApiServer,
  bodies: string[],
  watch: Pick<ReaderPoolOptions, 'watchContent' | 'watchFirstWords'>,
  timeoutMs: number,
) {
  const load = await startLoadWorkers(1)
  try {
    const jobs = await load.post({ host: api.host, port: api.port, path: '/api/jobs', bodies })
    await load.open({
      host: api.host,
      port: api.port,
      targets: jobs.map(({ id }) => ({ path: `/api/jobs/${id}/events`, count: 1 })),
      localAddresses: sourceAddresses(1),
      ...watch,
    })
    return { jobs, report: await load.wait(timeoutMs) }
  } finally {
    await load.stop()
  }
}

export function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms))
}
