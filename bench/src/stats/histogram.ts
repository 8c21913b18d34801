/**
 * A millisecond histogram: one counter per whole millisecond up to `maxMs`, everything
 * slower in the last bucket. Delays are measured against the events' ISO `ts`, which has
 * millisecond resolution, so finer buckets would only pretend. Counters merge by addition,
 * which is how the load workers' figures are combined.
 */
export interface Histogram {
  readonly counts: Uint32Array
  total: number
  max: number
  sum: number
}

/** Default range: one minute, far beyond any delay worth reporting. */
export const HISTOGRAM_MAX_MS = 60_000

/** An empty histogram covering 0..`maxMs` ms. */
export function createHistogram(maxMs = HISTOGRAM_MAX_MS): Histogram {
  return { counts: new Uint32Array(maxMs + 1), total: 0, max: 0, sum: 0 }
}

/** Records one value (negative clock noise counts as 0, beyond the range as the top bucket). */
export function record(h: Histogram, ms: number): void {
  const top = h.counts.length - 1
  const bucket = ms <= 0 ? 0 : ms >= top ? top : Math.round(ms)
  h.counts[bucket] = (h.counts[bucket] ?? 0) + 1
  h.total++
  h.sum += Math.max(0, ms)
  if (ms > h.max) h.max = ms
}

/** The smallest value v such that at least `p` % of recorded values are ≤ v; NaN when empty. */
export function percentile(h: Histogram, p: number): number {
  if (h.total === 0) return Number.NaN
  const rank = Math.max(1, Math.ceil((p / 100) * h.total))
  let seen = 0
  for (let ms = 0; ms < h.counts.length; ms++) {
    seen += h.counts[ms] ?? 0
    if (seen >= rank) return ms
  }
  return h.counts.length - 1
}

/** The mean of recorded values; NaN when empty. */
export const mean = (h: Histogram): number => (h.total === 0 ? Number.NaN : h.sum / h.total)

/** Sparse `[ms, count]` pairs, small enough to send over IPC. */
export function toSparse(h: Histogram): { pairs: [number, number][]; max: number; sum: number } {
  const pairs: [number, number][] = []
  h.counts.forEach((count, ms) => {
    if (count > 0) pairs.push([ms, count])
  })
  return { pairs, max: h.max, sum: h.sum }
}

/** Adds a sparse histogram (from `toSparse`) into `into`. */
export function mergeSparse(into: Histogram, from: ReturnType<typeof toSparse>): void {
  for (const [ms, count] of from.pairs) {
    into.counts[ms] = (into.counts[ms] ?? 0) + count
    into.total += count
  }
  into.sum += from.sum
  into.max = Math.max(into.max, from.max)
}

/** Percentile of a plain list of numbers (nearest rank), for small samples; NaN when empty. */
export function percentileOf(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!
}
