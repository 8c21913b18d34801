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

/** POSTs `count` jobs, `concurrency` at a time; resolves with their ids and POST times. */
export async function postJobs(baseUrl: string, count: number, concurrency = 32) {
  const jobs: { id: string; postedAt: number }[] = []
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
      const { id } = (await res.json()) as { id: string }
      jobs[i] = { id, postedAt }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, one))
  return jobs
}

/** The delivery figures every streaming scenario reports. */
export function deliveryFigures(load: LoadReport, expectedStreams: number) {
  const spanMs = Math.max(1, load.lastFrameAt - load.firstFrameAt)
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
    spanMs,
    loadGenCpuPct: round((100 * load.cpuMs) / spanMs),
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
