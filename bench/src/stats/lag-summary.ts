import { round } from '../report/results.js'
import { percentileOf } from './histogram.js'

/** p50 and p99 (nearest rank) of one key's lags, with how many were measured and missed. */
export interface LagFigures {
  p50Ms: number
  p99Ms: number
  maxMs: number
  /** Lags measured. */
  n: number
  /** Streams where the key's first words came replayed, unstamped, or never came. */
  missing: number
}

/** Workflow order: the outline, the sections by number, then the style pass. */
function order(key: string): number {
  if (key === 'outline') return -1
  if (key === 'style') return Number.MAX_SAFE_INTEGER
  const section = /^content\.(\d+)$/.exec(key)
  return section ? Number(section[1]) : Number.MAX_SAFE_INTEGER - 1
}

function figures(values: number[], expected: number): LagFigures {
  return {
    p50Ms: round(percentileOf(values, 50)),
    p99Ms: round(percentileOf(values, 99)),
    maxMs: round(percentileOf(values, 100)),
    n: values.length,
    missing: expected - values.length,
  }
}

/**
 * Gathers each stream's first-words lags (`{ outline: 1.2, 'content.0': 0.9, … }`, `null`
 * where unmeasured) into figures per key, in workflow order, and over every key (`all`).
 * `missing` counts against `streams`: a stream that never saw a key misses it too.
 */
export function summarizeLags(
  perStream: readonly (Record<string, number | null> | undefined)[],
  streams = perStream.length,
): { byKey: Record<string, LagFigures>; all: LagFigures } {
  const values = new Map<string, number[]>()
  for (const lags of perStream) {
    for (const [key, lag] of Object.entries(lags ?? {})) {
      if (!values.has(key)) values.set(key, [])
      if (lag !== null && Number.isFinite(lag)) values.get(key)!.push(lag)
    }
  }
  const keys = [...values.keys()].sort((a, b) => order(a) - order(b) || a.localeCompare(b))
  const byKey = Object.fromEntries(keys.map((k) => [k, figures(values.get(k)!, streams)]))
  const all = figures([...values.values()].flat(), streams * keys.length)
  return { byKey, all }
}
