import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The built API; the root `test` script builds it before vitest runs. */
export const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url))

export interface ApiProcess {
  /** `http://127.0.0.1:<port>`, read from the `listening on …` log line. */
  baseUrl: string
  child: ChildProcess
  /** Everything the process printed so far, stdout then stderr, for failure messages. */
  output(): string
  /** Resolves when the process has exited, with its code (null when a signal ended it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/**
 * Starts `node <main>` (default: this workspace's `dist/main.js`) with `env` (plus PATH) and
 * resolves once it logs where it listens. Fails, with its output, when it exits first or
 * does not listen within `timeoutMs`.
 */
export function spawnApi(
  env: Record<string, string>,
  timeoutMs = 15_000,
  main = MAIN,
): Promise<ApiProcess> {
  if (!existsSync(main)) {
    throw new Error(`${main} is missing: run \`pnpm build\` at the repo root before these tests`)
  }
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  const output = () => `${stdout}${stderr ? `\n--- stderr ---\n${stderr}` : ''}`
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  child.stderr?.on('data', (chunk) => {
    stderr += chunk
  })

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the API did not listen within ${timeoutMs} ms:\n${output()}`))
    }, timeoutMs)
    child.stdout?.on('data', (chunk) => {
      stdout += chunk
      const baseUrl = listeningUrl(stdout)
      if (!baseUrl) return
      clearTimeout(timer)
      resolve({ baseUrl, child, output, exited })
    })
    void exited.then(({ code, signal }) => {
      clearTimeout(timer)
      reject(new Error(`the API exited (${code ?? signal}) before listening:\n${output()}`))
    })
  })
}

/** Finds pino's `listening on http://host:port` line among the JSON lines printed so far. */
function listeningUrl(stdout: string): string | undefined {
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue
    try {
      const { msg } = JSON.parse(line) as { msg?: unknown }
      const match = typeof msg === 'string' ? /^listening on (http:\/\/\S+)$/.exec(msg) : null
      if (match) return match[1]
    } catch {
      // A partial line: the rest arrives with the next chunk.
    }
  }
  return undefined
}

/** Sends `signal` (default SIGKILL) unless the process already exited; resolves once it has. */
export async function stopApi(api: ApiProcess | undefined, signal: NodeJS.Signals = 'SIGKILL') {
  if (!api || api.child.exitCode !== null || api.child.signalCode !== null) return
  api.child.kill(signal)
  await api.exited
}

export interface Exit {
  code: number | null
  stdout: string
  stderr: string
  matched?: RegExpMatchArray
  /** What `onMatch` returned, before the process was stopped. */
  probed?: unknown
}

/**
 * Runs the built API; once `until` matches its stdout, awaits `onMatch` and stops it with
 * SIGTERM. Resolves when it exits, and fails unless it exits within 15 s.
 */
export function runMain(
  env: Record<string, string>,
  until?: RegExp,
  onMatch?: (match: RegExpMatchArray) => Promise<unknown>,
): Promise<Exit> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`pnpm build\` first`)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, ...env },
      stdio: 'pipe',
    })
    let stdout = ''
    let stderr = ''
    let matched: RegExpMatchArray | undefined
    let probed: unknown
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`no match in time; stdout: ${stdout} stderr: ${stderr}`))
    }, 15_000)
    child.stdout.on('data', (d) => {
      stdout += d
      const m = until && stdout.match(until)
      if (m && !matched) {
        matched = m
        Promise.resolve(onMatch?.(m))
          .then(
            (value) => {
              probed = value
            },
            (error: unknown) => {
              probed = error
            },
          )
          .finally(() => child.kill('SIGTERM'))
      }
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr, matched, probed })
    })
  })
}
