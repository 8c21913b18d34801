import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { Redis } from 'ioredis'

export const REDIS_SERVER = '/usr/bin/redis-server'

/** Runs without redis-server only outside CI (`.ci/run` installs it). */
export function redisServerForTests(what: string): boolean {
  if (existsSync(REDIS_SERVER)) return true
  if (process.env.CI === 'true')
    throw new Error(`${REDIS_SERVER} is missing, and CI=true requires it`)
  console.warn(`\n  SKIPPED ${what}: ${REDIS_SERVER} is missing (apt-get install redis-server)\n`)
  return false
}

export interface RedisServer {
  /** SIGTERM: Redis's own orderly stop, which fsyncs the append-only file. */
  stop(): Promise<void>
}

/**
 * A Redis of the test's own (not the shared one) on `port`, with the settings the README's
 * runbook gives for redis mode: `appendonly yes`, `appendfsync everysec`, and no snapshot, so
 * everything it holds comes back from the append-only file in `dir`. Resolves once it
 * answers PING (after reading that file back). `password` sets `requirepass`.
 */
export async function startRedis(
  dir: string,
  port: number,
  options: { password?: string } = {},
): Promise<RedisServer> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir]
  args.push('--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '')
  if (options.password) args.push('--requirepass', options.password)
  const child: ChildProcess = spawn(REDIS_SERVER, args, { stdio: 'ignore' })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const client = new Redis({
    port,
    password: options.password,
    lazyConnect: true,
    retryStrategy: () => 50,
    maxRetriesPerRequest: 1,
  })
  client.on('error', () => {})
  const until = Date.now() + 10_000
  try {
    for (;;) {
      // `LOADING` answers until the append-only file has been read back in.
      const pong = await client.ping().catch(() => undefined)
      if (pong === 'PONG') break
      if (Date.now() > until) throw new Error(`redis-server on ${port} did not start`)
      await new Promise((r) => setTimeout(r, 50))
    }
  } finally {
    client.disconnect()
  }
  return {
    async stop() {
      child.kill('SIGTERM')
      await exited
    },
  }
}
