import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url))

interface Exit {
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
function runMain(
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

describe('the built API process', () => {
  it('prints where it listens whatever LOG_LEVEL is, and nothing else at silent', async () => {
    const run = await runMain(
      { PORT: '0', STORE_URL: 'memory', LOG_LEVEL: 'silent' },
      /listening on (http:\/\/127\.0\.0\.1:(\d+))/,
      async ([, url]) => (await fetch(`${url}/healthz`)).status,
    )
    expect(run.matched, `stdout: ${run.stdout}\nstderr: ${run.stderr}`).toBeDefined()
    expect(run.probed).toBe(200)
    expect(run.stdout.trim().split('\n')).toHaveLength(1)
  })

  it('listens on a free port with PORT=0, prints where, and stops cleanly on SIGTERM', async () => {
    const run = await runMain(
      { PORT: '0', STORE_URL: 'memory' },
      /listening on (http:\/\/127\.0\.0\.1:(\d+))/,
      async ([, url]) => (await fetch(`${url}/healthz`)).status,
    )
    // No match means it never said where it listens: fail here, not on an undefined group.
    expect(run.matched, `stdout: ${run.stdout}\nstderr: ${run.stderr}`).toBeDefined()
    const port = Number(run.matched![2])
    expect(port).toBeGreaterThan(0)
    expect(port).toBeLessThan(65_536)
    // It answers where it said it listens.
    expect(run.probed).toBe(200)
    expect(run.stdout).toContain('demo model')
    expect(run.code).toBe(0)
  })

  it('refuses to start on a bad setting, naming the variable', async () => {
    const run = await runMain({ PORT: 'eighty', STORE_URL: 'memory' })
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/PORT/)
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/)
  })
})
