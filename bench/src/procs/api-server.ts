import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stopChild, track } from './children.js'

/**
 * The built API: the harness measures what production runs, not tsx. Default this
 * checkout's `apps/api/dist/main.js`; `BENCH_API_MAIN=/path/to/apps/api/dist/main.js` runs
 * another build (an older commit's, from a git worktree) under the same harness, so two
 * builds can be compared run for run, interleaved. A relative path is taken from where
 * `pnpm bench` was started (`INIT_CWD`), not from `bench/`, where the harness runs.
 */
export const API_MAIN = process.env.BENCH_API_MAIN
  ? resolve(process.env.INIT_CWD ?? process.cwd(), process.env.BENCH_API_MAIN)
  : fileURLToPath(new URL('../../../apps/api/dist/main.js', import.meta.url))

export interface ApiServer {
  host: string
  port: number
  baseUrl: string
  child: ChildProcess
  pid: number
  stop(): Promise<void>
}

/** Settings every scenario shares: any port, loopback, no per-IP limits, quiet logs. */
const BENCH_ENV: Record<string, string> = {
  PORT: '0',
  HOST: '127.0.0.1',
  // `info` only for the `listening on` line; requests log too, and that cost is measured.
  LOG_LEVEL: 'info',
  RATE_LIMIT_PER_MINUTE: '0',
  // The model-bill guards would stop a benchmark's hundreds of jobs from one address.
  DAILY_TOKENS_PER_CLIENT: '0',
  JOB_TOKEN_LIMIT: '0',
  MAX_STREAMS_PER_CLIENT: '1000000',
  // The process's cap on streams too: a scenario measures its own stream counts.
  MAX_STREAMS: '10000000',
  MAX_QUEUED_JOBS: '10000000',
}

/**
 * Starts `node <main>` (the build a run measures: `options.apiMain`, by default `API_MAIN`)
 * with the scenario's settings and resolves once its `listening on http://host:port` line
 * shows. Everything else it prints is drained unread.
 */
export function startApi(
  main: string,
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<ApiServer> {
  if (!existsSync(main)) {
    throw new Error(`${main} is missing: run \`pnpm build\` first (in the tree it belongs to)`)
  }
  // `BENCH_CPU_PROF=<dir>`: profile every API process; it then stops with SIGTERM so the
  // profile gets written (a graceful stop) instead of SIGKILL. `BENCH_CPU_PROF_INTERVAL_US`
  // samples more often than Node's 1 ms (a 50-job burst is over in ~100 ms).
  const profDir = process.env.BENCH_CPU_PROF
  const interval = process.env.BENCH_CPU_PROF_INTERVAL_US ?? '1000'
  const flags = profDir
    ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-interval=${interval}`]
    : []
  const child = track(
    spawn(process.execPath, [...flags, main], {
      env: { PATH: process.env.PATH ?? '', ...BENCH_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  )
  let out = ''
  let err = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err = (err + chunk).slice(-4000)
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the API did not listen within ${timeoutMs} ms:\n${out}${err}`))
    }, timeoutMs)
    const onData = (chunk: string) => {
      out += chunk
      const match = /"msg":"listening on http:\/\/([\d.]+):(\d+)"/.exec(out)
      if (!match) return
      clearTimeout(timer)
      out = ''
      child.stdout.off('data', onData)
      child.stdout.resume() // keep draining, so a full pipe never blocks its logger
      const [, host, port] = match as unknown as [string, string, string]
      resolve({
        host,
        port: Number(port),
        baseUrl: `http://${host}:${port}`,
        child,
        pid: child.pid!,
        stop: () => stopChild(child, profDir ? 'SIGTERM' : 'SIGKILL'),
      })
    }
    child.stdout.setEncoding('utf8').on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the API exited (${code}) before listening:\n${out}${err}`))
    })
  })
}
