import { describe, expect, it } from 'vitest'
import {
  createHistogram,
  mergeSparse,
  percentile,
  percentileOf,
  record,
  toSparse,
} from '../src/stats/histogram.js'

describe('histogram', () => {
  it('reports nearest-rank percentiles in whole milliseconds', () => {
    const h = createHistogram(1000)
    for (let ms = 1; ms <= 100; ms++) record(h, ms)
    expect(percentile(h, 50)).toBe(50)
    expect(percentile(h, 99)).toBe(99)
    expect(percentile(h, 100)).toBe(100)
    expect(h.max).toBe(100)
  })

  it('clamps clock noise below zero and outliers beyond the range', () => {
    const h = createHistogram(10)
    record(h, -3)
    record(h, 5000)
    expect(percentile(h, 1)).toBe(0)
    expect(percentile(h, 100)).toBe(10)
    expect(h.max).toBe(5000)
  })

  it('merges the sparse form the load workers send', () => {
    const a = createHistogram(100)
    const b = createHistogram(100)
    record(a, 1)
    record(b, 3)
    record(b, 3)
    mergeSparse(a, toSparse(b))
    expect(a.total).toBe(3)
    expect(percentile(a, 50)).toBe(3)
  })

  it('is NaN when nothing was recorded', () => {
    expect(percentile(createHistogram(10), 50)).toBeNaN()
    expect(percentileOf([], 50)).toBeNaN()
    expect(percentileOf([30, 10, 20], 50)).toBe(20)
  })
})
