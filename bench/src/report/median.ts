import { check, type ScenarioResult, type TargetCheck } from './results.js'

const lowerMedian = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!

const opOf = (target: TargetCheck) => target.target.split(' ')[0] as '<' | '<=' | '>='
const limitOf = (target: TargetCheck | undefined) => Number(target?.target.split(' ')[1])

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
    // A limit measured in the run (first words against the bare client) is a median too.
    const limit = lowerMedian(runs.map((run) => limitOf(run.targets[i])))
    const judged = check(target.name, lowerMedian(values), opOf(target), limit)
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
