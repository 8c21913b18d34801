import { execFileSync } from 'node:child_process'
import type { BenchOptions } from '../options.js'
import { startApi } from '../procs/api-server.js'
import type { ScenarioResult } from '../report/results.js'
import { fanOutResult } from './fan-out.js'
import { runFanOut } from './fan-out-run.js'

const INSTANCES = 2

/** Deletes the run's keys (its own prefix only: the Redis server may be shared). */
function removeKeys(redisUrl: string, prefix: string) {
  const url = new URL(redisUrl)
  const args = ['-h', url.hostname, '-p', url.port || '6379', '-n', url.pathname.slice(1) || '0']
  try {
    const keys = execFileSync('redis-cli', [...args, '--scan', '--pattern', `${prefix}*`], {
      encoding: 'utf8',
      maxBuffer: 256 * 2 ** 20,
    })
      .split('\n')
      .filter(Boolean)
    for (let i = 0; i < keys.length; i += 500) {
      execFileSync('redis-cli', [...args, 'DEL', ...keys.slice(i, i + 500)], { stdio: 'ignore' })
    }
  } catch {
    // No redis-cli: the keys expire with the jobs' retention anyway.
  }
}

/**
 * (e) The fan-out scenario in `redis` mode: two API instances (each also a worker, so jobs
 * spread over both through BullMQ), jobs POSTed to the first, each job's readers split
 * over both, so half of every job's streams are served by the instance not running it.
 */
export async function redisFanOut(options: BenchOptions): Promise<ScenarioResult> {
  const { jobs, readersPerJob, tokenDelayMs } = options.fanOut
  const prefix = `inkflow-bench-${process.pid}-${Date.now()}`
  const env = {
    STORE_URL: options.redisUrl,
    REDIS_KEY_PREFIX: prefix,
    ROLE: 'all',
    DEMO_TOKEN_DELAY_MS: String(tokenDelayMs),
    DEMO_TOKEN_STAMPS: '1',
    // Per worker; together the two run every job at once, as in the single-instance case.
    MAX_CONCURRENT_JOBS: String(jobs),
  }
  const servers = await Promise.all(
    Array.from({ length: INSTANCES }, () => startApi(options.apiMain, env)),
  )
  try {
    const run = await runFanOut({
      jobs,
      readersPerJob,
      servers,
      loadWorkers: 2,
      slots: jobs * INSTANCES,
      timeoutMs: 180_000,
      stopServers: () => Promise.all(servers.map((s) => s.stop())),
    })
    const result = fanOutResult('redis-fan-out', run, 150, false)
    return { ...result, figures: { ...result.figures, instances: INSTANCES } }
  } finally {
    await Promise.all(servers.map((s) => s.stop()))
    removeKeys(options.redisUrl, prefix)
  }
}
