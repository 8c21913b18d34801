import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { API_MAIN } from './procs/api-server.js'

/** The scenario names, in the order `pnpm bench` runs them. */
export const SCENARIOS = [
  'fan-out',
  'submit',
  'throughput',
  'idle-memory',
  'redis-fan-out',
  'first-words',
  'first-words-trickle',
] as const
export type ScenarioName = (typeof SCENARIOS)[number]

/** Sizes of a full run (the issue's) and of `--quick` (the same shapes, under a minute in all). */
const SIZES = {
  full: {
    fanOut: { jobs: 100, readersPerJob: 100, tokenDelayMs: 20 },
    submitSeconds: 10,
    throughputJobs: 2000,
    idleStreams: 5000,
    firstWordsJobs: 50,
    /** Jobs at once and measured bursts of them: ~5 s a burst, whatever the size. */
    firstWordsTrickle: { jobs: 20, rounds: 3 },
  },
  quick: {
    fanOut: { jobs: 20, readersPerJob: 25, tokenDelayMs: 2 },
    submitSeconds: 2,
    throughputJobs: 200,
    idleStreams: 1000,
    firstWordsJobs: 50,
    firstWordsTrickle: { jobs: 20, rounds: 1 },
  },
}

export type BenchOptions = (typeof SIZES)['full'] & {
  quick: boolean
  only: ScenarioName[]
  /** `STORE_URL` of a scenario that runs on the default store: a fresh SQLite file, or memory. */
  storeUrl(scenario: string): string
  redisUrl: string
  /** Runs of each scenario; the row judges the medians. Default 1. */
  repeat: number
  /** The built API a run starts (`apps/api/dist/main.js`, or `BENCH_API_MAIN`). */
  apiMain: string
  /**
   * `--against=<another build's main.js>`: each scenario also runs on that build, the two
   * taking turns run by run (this, other / other, this / …), and the row compares their
   * medians. Absent: this build only.
   */
  against?: string
}

/**
 * Reads the command line: `--quick`, `--only=a,b`, `--store=memory` (when the SQLite adapter
 * is unavailable), `--redis=redis://127.0.0.1:6379/9`, `--repeat=3` (each scenario three times),
 * `--against=../old/apps/api/dist/main.js` (compare with another build, run for run).
 */
export function parseOptions(argv: string[]): BenchOptions {
  const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]
  const quick = argv.includes('--quick')
  const only = (flag('only')?.split(',') ?? [...SCENARIOS]) as ScenarioName[]
  for (const name of only) {
    if (!SCENARIOS.includes(name))
      throw new Error(`unknown scenario ${name}: ${SCENARIOS.join(', ')}`)
  }
  const repeat = Number(flag('repeat') ?? 1)
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat takes a whole number ≥ 1')
  const against = flag('against')
  const store = flag('store') ?? 'sqlite'
  const dir = store === 'sqlite' ? mkdtempSync(join(tmpdir(), 'inkflow-bench-')) : ''
  let files = 0
  return {
    ...SIZES[quick ? 'quick' : 'full'],
    quick,
    only,
    // A fresh file every run: a repeat starts as empty as the first run, and of two builds
    // compared (`--against`) neither opens a file the other migrated.
    storeUrl: (scenario) =>
      store === 'sqlite' ? `sqlite:${join(dir, `${scenario}-${++files}.db`)}` : store,
    redisUrl: flag('redis') ?? 'redis://127.0.0.1:6379/9',
    repeat,
    apiMain: API_MAIN,
    // Relative to where `pnpm bench` was started, not `bench/`, where the harness runs.
    ...(against ? { against: resolve(process.env.INIT_CWD ?? process.cwd(), against) } : {}),
  }
}
