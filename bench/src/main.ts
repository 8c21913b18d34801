/**
 * `pnpm bench [--quick] [--only=fan-out,submit] [--store=memory] [--repeat=3]`: runs the
 * scenarios one after the other against the built API (each `--repeat` times, judged on the
 * medians), prints one table row each and writes
 * `bench/results/<scenario>.json`. Exits non-zero when a scenario could not run; a missed
 * target is reported, not fatal.
 */
import { loadavg } from 'node:os'
import { type BenchOptions, parseOptions, type ScenarioName } from './options.js'
import { API_MAIN } from './procs/api-server.js'
import { killAll } from './procs/children.js'
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
// Another build's API (`BENCH_API_MAIN`) is named on the console and in every result file.
if (process.env.BENCH_API_MAIN) console.log(`API: ${API_MAIN}`)
const rows: string[] = []
let failed = 0
for (const name of options.only) {
  const at = Date.now()
  try {
    const runs: ScenarioResult[] = []
    for (let i = 0; i < options.repeat; i++) {
      runs.push(await RUNNERS[name](options))
      killAll()
      if (options.repeat > 1) console.log(`  ${name} run ${i + 1}: ${formatRow(runs[i]!)}`)
    }
    const result = medianOf(runs)
    writeResult(result, { quick: options.quick, loadBefore: loadavg()[0], apiMain: API_MAIN })
    rows.push(formatRow(result))
    console.log(`${formatRow(result)}  (${((Date.now() - at) / 1000).toFixed(1)} s)`)
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
