import { describe, expect, it } from 'vitest'
import { summarizeLags } from '../src/stats/lag-summary.js'

describe('summarizeLags', () => {
  it('gives p50/p99 per step and section, in workflow order, and over all', () => {
    const perStream = [
      { style: 3, 'content.10': 9, 'content.2': 2, outline: 1 },
      { outline: 5, style: 7, 'content.2': 4, 'content.10': 1 },
      { 'content.2': 6, outline: 3, style: 5, 'content.10': 5 },
    ]
    const { byKey, all } = summarizeLags(perStream)
    expect(Object.keys(byKey)).toEqual(['outline', 'content.2', 'content.10', 'style'])
    expect(byKey.outline).toEqual({ p50Ms: 3, p99Ms: 5, maxMs: 5, n: 3, missing: 0 })
    expect(byKey['content.10']).toMatchObject({ p50Ms: 5, p99Ms: 9 })
    expect(all).toMatchObject({ p50Ms: 4, p99Ms: 9, n: 12, missing: 0 })
  })

  it('counts unmeasured keys and streams that never reported as missing', () => {
    const { byKey, all } = summarizeLags([{ outline: 1.25, style: null }, undefined], 2)
    expect(byKey.outline).toMatchObject({ p50Ms: 1.25, n: 1, missing: 1 })
    expect(byKey.style).toMatchObject({ n: 0, missing: 2 })
    expect(byKey.style!.p50Ms).toBeNaN()
    expect(all).toMatchObject({ n: 1, missing: 3 })
  })
})
