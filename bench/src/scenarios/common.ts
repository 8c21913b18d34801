import type { LoadReport } from '../load/load-workers.js'
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

/**
 * POSTs `count` jobs, `concurrency` at a time; resolves with their ids, owner tokens (which
 * cancel them) and POST times.
 */
export async function postJobs(baseUrl: string, count: number, concurrency = 32) {
  const jobs: { id: string; ownerToken: string; postedAt: number }[] = []
  let next = 0
  const one = async () => {
    while (next < count) {
      const i = next++
      const postedAt = Date.now()
      const res = await fetch(`${baseUrl}/api/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ topic: `bench topic ${i % 50}` }),
      })
      if (res.status !== 202) throw new Error(`POST /api/jobs: ${res.status} ${await res.text()}`)
      const { id, ownerToken } = (await res.json()) as { id: string; ownerToken: string }
      jobs[i] = { id, ownerToken, postedAt }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, one))
  return jobs
}

/** Each job's `status` (GET /api/jobs/:id), `concurrency` requests at a time. */
export async function jobStatuses(baseUrl: string, jobs: { id: string }[], concurrency = 32) {
  const statuses: string[] = []
  let next = 0
  const one = async () => {
    while (next < jobs.length) {
      const i = next++
      const res = await fetch(`${baseUrl}/api/jobs/${jobs[i]!.id}`)
      if (res.status !== 200) throw new Error(`GET /api/jobs/:id: ${res.status}`)
      statuses[i] = ((await res.json()) as { status: string }).status
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, one))
  return statuses
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

/** Cancels every job (POST /api/jobs/:id/cancel with its owner token), `concurrency` at a time. */
export async function cancelJobs(
  baseUrl: string,
  jobs: { id: string; ownerToken: string }[],
  concurrency = 32,
) {
  let next = 0
  const one = async () => {
    while (next < jobs.length) {
      const { id, ownerToken } = jobs[next++]!
      const res = await fetch(`${baseUrl}/api/jobs/${id}/cancel`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ownerToken}` },
      })
      await res.arrayBuffer()
      if (res.status !== 202) throw new Error(`POST /api/jobs/:id/cancel: ${res.status}`)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, one))
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

export function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms))
}
