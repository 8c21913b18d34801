import { describe, expect, it } from 'vitest'
import { backoffDelay } from '../src/lib/api/backoff.js'

describe('backoffDelay', () => {
  it('doubles from about 0.5 s and stops at 10 s', () => {
    const mid = { random: () => 0.5 }
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffDelay(n, mid))).toEqual([
      500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000,
    ])
  })

  it('spreads each delay ±25 % and never past the cap', () => {
    expect(backoffDelay(1, { random: () => 0 })).toBe(375)
    expect(backoffDelay(1, { random: () => 0.999_999 })).toBe(625)
    expect(backoffDelay(6, { random: () => 0.999_999 })).toBe(10_000)
    expect(backoffDelay(6, { random: () => 0 })).toBe(7500)
  })
})
