import { describe, expect, it } from 'vitest'
import { DailyTokenBudgetError, meterJobTokens } from '../../src/jobs/job-token-meter.js'
import { createDemoClient } from '../../src/llm/demo.js'
import type { LlmRequest } from '../../src/llm/llm.js'

const request = (): LlmRequest => ({
  messages: [{ role: 'user', content: 'Plan an article' }],
  task: 'outline',
  signal: new AbortController().signal,
})

/** A run of a job's model, metered against a daily budget whose spend the test sets. */
function run(used: number, spent: { today: number }) {
  let asked = 0
  const llm = meterJobTokens({
    llm: createDemoClient({ tokenDelayMs: 0 }),
    limit: 0,
    maxOutputTokens: 100,
    used,
    onSpent: () => {},
    daily: {
      perDay: 1000,
      spentToday: async () => {
        asked += 1
        return spent.today
      },
    },
  })
  return { llm, asked: () => asked }
}

describe('the daily budget, seen from a job run', () => {
  it('stops a resumed or approved run (tokens already used) whose client spent it', async () => {
    const { llm } = run(500, { today: 1000 })
    await expect(llm.complete(request())).rejects.toBeInstanceOf(DailyTokenBudgetError)
  })

  it('checks before the first call of each run, and does not cut a run off half-way', async () => {
    const spent = { today: 10 }
    const { llm, asked } = run(500, spent)
    await llm.complete(request())
    spent.today = 5000
    await llm.complete(request())
    expect(asked()).toBe(1)
    // The next run of the same job (after a restart, or an approval) is checked again.
    await expect(run(900, spent).llm.complete(request())).rejects.toBeInstanceOf(
      DailyTokenBudgetError,
    )
  })
})
