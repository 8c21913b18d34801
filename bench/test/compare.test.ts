import { describe, expect, it } from 'vitest'
import { compareRow } from '../src/report/compare.js'
import { medianOf } from '../src/report/median.js'
import { check, type ScenarioResult } from '../src/report/results.js'

const run = (jobsPerSec: number, p99: number): ScenarioResult => ({
  scenario: 'throughput',
  summary: `${jobsPerSec} jobs/s`,
  targets: [check('jobs/s', jobsPerSec, '>=', 200), check('p99 ms', p99, '<', 100)],
  figures: {},
})

describe('two builds compared (--against)', () => {
  it('gives each target both medians and the change, flagging more than 10 % worse', () => {
    const now = medianOf([run(130, 20), run(140, 22), run(120, 30)])
    const other = medianOf([run(160, 25), run(150, 20), run(170, 21)])
    expect(compareRow(now, other)).toBe(
      '| throughput | this build vs the other: jobs/s 130 vs 160 (−19 % ✗); p99 ms 22 vs 21 (+5 %) | |',
    )
  })

  it('reads worse by the direction of each target', () => {
    // Fewer jobs/s is worse; a higher p99 is worse.
    expect(compareRow(run(210, 50), run(200, 40))).toBe(
      '| throughput | this build vs the other: jobs/s 210 vs 200 (+5 %); p99 ms 50 vs 40 (+25 % ✗) | |',
    )
  })
})
