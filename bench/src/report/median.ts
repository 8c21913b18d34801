import { check, type ScenarioResult, type TargetCheck } from './results.js'

const lowerMedian = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!

/** A target judged again on another value: `target` reads `<op> <limit>`. */
function recheck(target: TargetCheck, value: number): TargetCheck {
  const [op, limit] = target.target.split(' ') as ['<' | '<=' | '>=', string]
  return check(target.name, value, op, Number(limit))
}

/**
 * Folds repeated runs of one scenario into one result (`pnpm bench --repeat=N`): each target
 * is judged on its median over the runs and shows their range; the figures on the row are
 * those of the median run of the first target that varied. Single runs of one build vary
 * by ±20 % on a shared 2-core VM; a median of three says more than any one of them.
 */
export function medianOf(runs: ScenarioResult[]): ScenarioResult {
  const [first] = runs
  if (!first) throw new Error('no runs to fold')
  if (runs.length === 1) return first
  const valuesOf = (i: number) => runs.map((run) => run.targets[i]?.value ?? Number.NaN)
  const varied = first.targets.findIndex((_, i) => new Set(valuesOf(i)).size > 1)
  const middle =
    varied < 0
      ? first
      : [...runs].sort((a, b) => a.targets[varied]!.value - b.targets[varied]!.value)[
          Math.floor((runs.length - 1) / 2)
        ]!
  const targets = first.targets.map((target, i) => {
    const values = valuesOf(i)
    const judged = recheck(target, lowerMedian(values))
    const low = Math.min(...values)
    const high = Math.max(...values)
    return low === high ? judged : { ...judged, name: `${judged.name} [${low}–${high}]` }
  })
  return {
    scenario: first.scenario,
    summary: `median of ${runs.length} runs: ${middle.summary}`,
    targets,
    figures: { median: middle.figures, runs: runs.map((run) => run.figures) },
  }
}
