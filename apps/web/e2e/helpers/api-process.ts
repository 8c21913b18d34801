import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The built API; the root `test` script builds everything before vitest runs. */
const MAIN = fileURLToPath(new URL('../../../api/dist/main.js', import.meta.url))

export interface ApiProcess {
  /** `http://127.0.0.1:<port>`, from its `listening on …` log line. */
  baseUrl: string
  child: ChildProcess
  output(): string
  stop(): Promise<void>
}

/** Starts the built API with `env` on a free port; resolves once it listens. */
export function spawnApi(env: Record<string, string>, timeoutMs = 15_000): Promise<ApiProcess> {
  if (!existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`pnpm build\` at the repo root first`)
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      STORE_URL: 'memory',
      HOST: '127.0.0.1',
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout?.on('data', (c) => {
    out += c
  })
  child.stderr?.on('data', (c) => {
    out += c
  })
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`the API did not start within ${timeoutMs} ms:\n${out}`))
    }, timeoutMs)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the API exited (${code}) before listening:\n${out}`))
    })
    child.stdout?.on('data', () => {
      const match = /"msg":"listening on (http:\/\/[^"]+)"/.exec(out)
      if (!match) return
      clearTimeout(timer)
      resolve({ baseUrl: match[1]!, child, output: () => out, stop })
    })
  })
}
