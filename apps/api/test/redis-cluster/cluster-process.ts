import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url))

/** One pino line of a child's stdout. */
export type LogLine = Record<string, unknown> & { msg?: string }

export interface ClusterProcess {
  role: 'api' | 'worker'
  pid: number
  /** The API's base URL (`ROLE=api`); undefined for a worker. */
  url: string | undefined
  lines: LogLine[]
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string | null>
  /** Waits until a log line matches, failing after `ms` with the process's recent output. */
  waitForLog(match: (line: LogLine) => boolean, ms?: number): Promise<LogLine>
  kill(signal: NodeJS.Signals): void
}

/** Runs the built API (`dist/main.js`) in a role; resolves once it says it started. */
export async function startProcess(
  role: 'api' | 'worker',
  env: Record<string, string>,
): Promise<ClusterProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`pnpm build\` first`)
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, ...env, ROLE: role },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: LogLine[] = []
  const waiters = new Set<() => void>()
  let stderr = ''
  let buffered = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk
    let at = buffered.indexOf('\n')
    while (at >= 0) {
      const text = buffered.slice(0, at)
      buffered = buffered.slice(at + 1)
      try {
        lines.push(JSON.parse(text) as LogLine)
      } catch {
        lines.push({ msg: text })
      }
      at = buffered.indexOf('\n')
    }
    for (const wake of waiters) wake()
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve(code ?? signal)
      for (const wake of waiters) wake()
    }),
  )

  const waitForLog = (match: (line: LogLine) => boolean, ms = 15_000) =>
    new Promise<LogLine>((resolve, reject) => {
      const check = () => {
        const line = lines.find(match)
        if (line) return done(() => resolve(line))
        if (child.exitCode !== null || child.signalCode !== null) {
          done(() => reject(new Error(`${role} exited; stderr: ${stderr.slice(-2000)}`)))
        }
      }
      const timer = setTimeout(() => {
        const recent = lines.slice(-10).map((l) => JSON.stringify(l))
        done(() =>
          reject(new Error(`${role} log wait timed out; last lines:\n${recent.join('\n')}`)),
        )
      }, ms)
      const done = (settle: () => void) => {
        clearTimeout(timer)
        waiters.delete(check)
        settle()
      }
      waiters.add(check)
      check()
    })

  const started = await waitForLog((l) =>
    role === 'api' ? /^listening on http/.test(l.msg ?? '') : /^worker started/.test(l.msg ?? ''),
  )
  const url =
    role === 'api' ? /listening on (http:\/\/\S+)/.exec(started.msg ?? '')?.[1] : undefined
  return {
    role,
    pid: child.pid!,
    url,
    lines,
    exited,
    waitForLog,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    },
  }
}
