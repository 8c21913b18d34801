import { describe, expect, it } from 'vitest'
import { medianOf } from '../src/report/median.js'
import { check, type ScenarioResult } from '../src/report/results.js'

const run = (p99: number, complete: number, label: string): ScenarioResult => ({
  scenario: 'fan-out',
  summary: label,
  targets: [check('complete %', complete, '>=', 100), check('p99 ms', p99, '<', 100)],
  figures: { label },
})

describe('repeated runs folded into one result', () => {
  it('judges each target on its median, shows the range, and reports the median run', () => {
    const folded = medianOf([run(120, 100, 'slow'), run(40, 100, 'fast'), run(90, 100, 'middle')])
    expect(folded.summary).toBe('median of 3 runs: middle')
    expect(folded.targets).toEqual([
      { name: 'complete %', value: 100, target: '>= 100', met: true },
      { name: 'p99 ms [40–120]', value: 90, target: '< 100', met: true },
    ])
    expect(folded.figures).toEqual({
      median: { label: 'middle' },
      runs: [{ label: 'slow' }, { label: 'fast' }, { label: 'middle' }],
    })
  })

  it('misses a target whose median misses, whatever the best run did', () => {
    const folded = medianOf([run(99, 100, 'a'), run(130, 100, 'b'), run(150, 99, 'c')])
    expect(folded.targets.map((t) => t.met)).toEqual([true, false])
    expect(folded.targets[1]?.value).toBe(130)
  })
})

describe('a limit measured in each run', () => {
  // first-words' limits come from the bare client of the same run.
  const measured = (ms: number, limit: number): ScenarioResult => ({
    scenario: 'first-words',
    summary: `${ms}/${limit}`,
    targets: [check('first words p50 ms', ms, '<=', limit)],
    figures: {},
  })

  it('is judged on the median limit, not the first run’s', () => {
    const folded = medianOf([measured(500, 450), measured(480, 520), measured(470, 500)])
    expect(folded.targets).toEqual([
      { name: 'first words p50 ms [470–500]', value: 480, target: '<= 500', met: true },
    ])
  })
})
