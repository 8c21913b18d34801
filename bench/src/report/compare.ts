import type { ScenarioResult } from './results.js'

/** More than this much worse than the other build is flagged (the bar a change must clear). */
const WORSE_BY = 0.1

/** A target's name without the range `medianOf` adds (`jobs/s [120–167]`). */
const plainName = (name: string) => name.replace(/ \[.*\]$/, '')

/**
 * One row comparing two builds' results of a scenario (`--against`), target by target: this
 * build's value, the other's, and the change, with ✗ where this build is more than 10 %
 * worse (lower for a `>=` target, higher for a `<` or `<=` one).
 */
export function compareRow(now: ScenarioResult, other: ScenarioResult): string {
  const cells = now.targets.map((target, i) => {
    const before = other.targets[i]?.value ?? Number.NaN
    const change = before === 0 ? 0 : (target.value - before) / Math.abs(before)
    const worse = target.target.startsWith('>=') ? -change : change
    const percent = `${change >= 0 ? '+' : '−'}${Math.abs(Math.round(change * 100))} %`
    const flag = worse > WORSE_BY ? ' ✗' : ''
    return `${plainName(target.name)} ${target.value} vs ${before} (${percent}${flag})`
  })
  return `| ${now.scenario} | this build vs the other: ${cells.join('; ')} | |`
}
