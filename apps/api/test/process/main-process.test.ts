import { describe, expect, it } from 'vitest'
import { runMain } from './spawn-api.js'

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
