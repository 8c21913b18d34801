/**
 * `pnpm bench [--quick] [--only=fan-out,submit] [--store=memory] [--repeat=3]
 * [--against=<other build>/apps/api/dist/main.js]`: runs the scenarios one after the other
 * against the built API (each `--repeat` times, judged on the medians), prints one table row
 * each and writes `bench/results/<scenario>.json`. With `--against`, each scenario's runs
 * alternate between the two builds, and a row compares their medians. Exits non-zero when a
 * scenario could not run; a missed target is reported, not fatal.
 */
import { loadavg } from 'node:os'
import { type BenchOptions, parseOptions, type ScenarioName } from './options.js'
import { killAll } from './procs/children.js'
import { compareRow } from './report/compare.js'
import { medianOf } from './report/median.js'
import {
  formatRow,
  machine,
  type ScenarioResult,
  TABLE_HEAD,
  writeResult,
} from './report/results.js'
import { fanOut } from './scenarios/fan-out.js'
import { firstWords } from './scenarios/first-words.js'
import { firstWordsTrickle } from './scenarios/first-words-trickle.js'
import { idleMemory } from './scenarios/idle-memory.js'
import { redisFanOut } from './scenarios/redis-fan-out.js'
import { submit } from './scenarios/submit.js'
import { throughput } from './scenarios/throughput.js'

const RUNNERS: Record<ScenarioName, (o: BenchOptions) => Promise<ScenarioResult>> = {
  'fan-out': fanOut,
  submit,
  throughput,
  'idle-memory': idleMemory,
  'redis-fan-out': redisFanOut,
  'first-words': firstWords,
  'first-words-trickle': firstWordsTrickle,
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAll()
    process.exit(130)
  })
}
process.on('exit', killAll)

const options = parseOptions(process.argv.slice(2))
const started = Date.now()
const m = machine()
console.log(
  `inkflow bench${options.quick ? ' --quick' : ''}: ${m.cpus} × ${m.cpuModel}, ${m.memGiB} GiB, ` +
    `node ${m.node}, load ${m.loadavg.join(' ')}`,
)
// The builds measured are named on the console and in every result file.
if (process.env.BENCH_API_MAIN || options.against) console.log(`API: ${options.apiMain}`)
if (options.against) console.log(`against: ${options.against}`)
// This build, then the other one's runs between its own.
const builds = options.against ? [options.apiMain, options.against] : [options.apiMain]
const rows: string[] = []
let failed = 0
for (const name of options.only) {
  const at = Date.now()
  try {
    const runs = builds.map((): ScenarioResult[] => [])
    for (let i = 0; i < options.repeat; i++) {
      // The builds take turns (this, other / other, this / …): a machine that slows down
      // for a minute then costs both, not whichever happened to run in it.
      const order = i % 2 === 0 ? builds.keys() : [...builds.keys()].reverse()
      for (const b of order) {
        const run = await RUNNERS[name]({ ...options, apiMain: builds[b]! })
        killAll()
        runs[b]!.push(run)
        const which = builds.length > 1 ? (b === 0 ? ' (this build)' : ' (other build)') : ''
        if (options.repeat > 1 || builds.length > 1)
          console.log(`  ${name} run ${i + 1}${which}: ${formatRow(run)}`)
      }
    }
    const [result, other] = runs.map(medianOf) as [ScenarioResult, ScenarioResult?]
    writeResult(result, {
      quick: options.quick,
      loadBefore: loadavg()[0],
      apiMain: options.apiMain,
      ...(other ? { against: { apiMain: options.against, ...other } } : {}),
    })
    rows.push(formatRow(result))
    if (other) rows.push(compareRow(result, other))
    console.log(
      `${rows.slice(other ? -2 : -1).join('\n')}  (${((Date.now() - at) / 1000).toFixed(1)} s)`,
    )
  } catch (err) {
    failed++
    rows.push(`| ${name} | could not run: ${err instanceof Error ? err.message : err} | ✗ |`)
    console.log(rows.at(-1))
  } finally {
    killAll()
  }
}
console.log(`\n${TABLE_HEAD}\n${rows.join('\n')}`)
console.log(
  `\n${((Date.now() - started) / 1000).toFixed(1)} s, load average now ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)
process.exit(failed > 0 ? 1 : 0)
