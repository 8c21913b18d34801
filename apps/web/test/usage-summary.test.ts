import { describe, expect, it } from 'vitest'
import { serverKeepsUntil } from '../src/lib/state/server-expiry.js'
import { usageSummary } from '../src/lib/state/usage-summary.js'

const usage = { promptTokens: 1000, completionTokens: 2345, totalTokens: 3345, estimated: false }

describe('usageSummary', () => {
  it('says the tokens, and "estimated" when they were counted on our side', () => {
    expect(usageSummary(usage)).toBe('3,345 tokens')
    expect(usageSummary({ ...usage, estimated: true })).toBe('3,345 tokens (estimated)')
  })

  it('adds the cost when the server has prices, in cents or, under a cent, two digits', () => {
    expect(usageSummary({ ...usage, cost: 1.234 })).toBe('3,345 tokens · $1.23')
    expect(usageSummary({ ...usage, cost: 0.00123 })).toBe('3,345 tokens · $0.0012')
    expect(usageSummary({ ...usage, cost: 0 })).toBe('3,345 tokens · $0.00')
  })
})

describe('serverKeepsUntil', () => {
  it('names the day and month, and the year when it is not this one', () => {
    const now = new Date('2026-12-06T12:00:00Z')
    expect(serverKeepsUntil('2026-12-13T12:00:00Z', now)).toBe(
      'Kept on the server until 13 December',
    )
    expect(serverKeepsUntil('2027-01-02T12:00:00Z', now)).toBe(
      'Kept on the server until 2 January 2027',
    )
  })
})
