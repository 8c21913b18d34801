import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The built API; the root `test` script builds it before vitest runs. */
export const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url))

/** One pino line of the process's stdout (a line that is not JSON: its text as `msg`). */
export type LogLine = Record<string, unknown> & { msg?: string }

/** A running `dist/main.js`: what it prints as it comes, and its end. */
export interface MainProcess {
  child: ChildProcess
  pid: number
  /** Its stdout, line by line, as it comes. */
  lines: LogLine[]
  stdout(): string
  stderr(): string
  /** Everything the process printed so far, stdout then stderr, for failure messages. */
  output(): string
  /** Resolves when the process has exited, with its code (null when a signal ended it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Waits until a line matches, failing after `ms` (or at the exit) with the output so far. */
  waitForLog(match: (line: LogLine) => boolean, ms?: number): Promise<LogLine>
  /** Sends `signal` unless the process already exited. */
  kill(signal: NodeJS.Signals): void
}

export interface ApiProcess extends MainProcess {
  /** `http://127.0.0.1:<port>`, read from the `listening on …` log line. */
  baseUrl: string
}

/** The settings that point the built API's `openai` provider at a local LLM stub. */
export const stubModelEnv = (stubUrl: string) => ({
  LLM_PROVIDER: 'openai',
  OPENAI_API_KEY: 'x',
  OPENAI_BASE_URL: stubUrl,
})

/** Starts `node <main>` (default: this workspace's `dist/main.js`) with `env` (plus PATH). */
export function startMain(env: Record<string, string>, main = MAIN): MainProcess {
  if (!existsSync(main)) {
    throw new Error(`${main} is missing: run \`pnpm build\` at the repo root before these tests`)
  }
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: LogLine[] = []
  const waiters = new Set<() => void>()
  const wake = () => {
    for (const waiter of waiters) waiter()
  }
  let stdout = ''
  let stderr = ''
  let partial = ''
  const output = () => `${stdout}${stderr ? `\n--- stderr ---\n${stderr}` : ''}`
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    const texts = (partial + chunk).split('\n')
    partial = texts.pop() ?? ''
    for (const text of texts) {
      try {
        lines.push(JSON.parse(text) as LogLine)
      } catch {
        lines.push({ msg: text })
      }
    }
    wake()
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve({ code, signal })
      wake()
    }),
  )
  const gone = () => child.exitCode !== null || child.signalCode !== null
  const waitForLog = (match: (line: LogLine) => boolean, ms = 15_000) =>
    new Promise<LogLine>((resolve, reject) => {
      const done = (settle: () => void) => {
        clearTimeout(timer)
        waiters.delete(check)
        settle()
      }
      const check = () => {
        const line = lines.find(match)
        if (line) done(() => resolve(line))
        else if (gone()) {
          const end = child.exitCode ?? child.signalCode
          done(() => reject(new Error(`the process exited (${end}):\n${output()}`)))
        }
      }
      const timer = setTimeout(
        () => done(() => reject(new Error(`no such line within ${ms} ms:\n${output()}`))),
        ms,
      )
      waiters.add(check)
      check()
    })
  return {
    child,
    pid: child.pid!,
    lines,
    stdout: () => stdout,
    stderr: () => stderr,
    output,
    exited,
    waitForLog,
    kill: (signal) => {
      if (!gone()) child.kill(signal)
    },
  }
}

const LISTENING = /^listening on (http:\/\/\S+)$/

/** Where a started API said it listens, from its log lines (undefined before it said so). */
export const listeningUrl = (lines: LogLine[]) =>
  lines.map((line) => LISTENING.exec(String(line.msg))?.[1]).find(Boolean)

/**
 * Starts the built API (see `startMain`) and resolves once it logs where it listens. Fails,
 * with its output, when it exits first or does not listen within `timeoutMs`.
 */
export async function spawnApi(
  env: Record<string, string>,
  timeoutMs = 15_000,
  main = MAIN,
): Promise<ApiProcess> {
  const api = startMain(env, main)
  await api
    .waitForLog((line) => LISTENING.test(String(line.msg)), timeoutMs)
    .catch((err) => {
      api.kill('SIGKILL')
      throw err
    })
  return { ...api, baseUrl: listeningUrl(api.lines)! }
}

/** Sends `signal` (default SIGKILL) unless the process already exited; resolves once it has. */
export async function stopApi(api: ApiProcess | undefined, signal: NodeJS.Signals = 'SIGKILL') {
  if (!api) return
  api.kill(signal)
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
 * Runs the built API; once `until` matches a line it prints, awaits `onMatch` and stops it
 * with SIGTERM. Resolves when it exits, and fails unless it exits within 15 s.
 */
export async function runMain(
  env: Record<string, string>,
  until?: RegExp,
  onMatch?: (match: RegExpMatchArray) => Promise<unknown>,
): Promise<Exit> {
  const run = startMain(env)
  const timer = setTimeout(() => run.kill('SIGKILL'), 15_000)
  let matched: RegExpMatchArray | undefined
  let probed: unknown
  if (until) {
    const line = await run.waitForLog((l) => until.test(String(l.msg))).catch(() => undefined)
    matched = line && (until.exec(String(line.msg)) ?? undefined)
    if (matched && onMatch) probed = await onMatch(matched).catch((error: unknown) => error)
    run.kill('SIGTERM')
  }
  const { code, signal } = await run.exited
  clearTimeout(timer)
  if (signal === 'SIGKILL') throw new Error(`the API did not exit in time:\n${run.output()}`)
  return { code, stdout: run.stdout(), stderr: run.stderr(), matched, probed }
}
