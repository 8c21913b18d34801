import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from './nginx.js'
import { MAIN, spawnApi, stopApi } from './spawn-api.js'

// Nothing secret leaves the process: not a store password in a start-up error, not an
// owner, API or operator token in any log line, at any level.

const REDIS_SERVER = '/usr/bin/redis-server'
const PASSWORD = 'the-right-redis-password'
const WRONG = 'hunter2-wrong-redis-password'

/** Runs the built API until it exits (at most 15 s); returns its code and everything it printed. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d) => {
      output += d
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the API did not exit in time:\n${output}`))
    }, 15_000)
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

describe.runIf(existsSync(REDIS_SERVER))('a Redis URL with a password', () => {
  let redis: ChildProcess | undefined
  let port: number
  beforeAll(async () => {
    port = await freePort()
    redis = spawn(
      REDIS_SERVER,
      ['--port', String(port), '--bind', '127.0.0.1', '--requirepass', PASSWORD, '--save', ''],
      { stdio: 'ignore' },
    )
    const client = new Redis({
      port,
      password: PASSWORD,
      lazyConnect: true,
      retryStrategy: () => 50,
    })
    client.on('error', () => {}) // refused until the server listens
    const until = Date.now() + 10_000
    while ((await client.ping().catch(() => undefined)) !== 'PONG') {
      if (Date.now() > until) throw new Error('redis-server did not start')
      await new Promise((r) => setTimeout(r, 50))
    }
    client.disconnect()
  })
  afterAll(() => {
    redis?.kill('SIGTERM')
  })

  it('a wrong password stops the process with a message that does not carry it', async () => {
    const run = await runToExit({ STORE_URL: `redis://:${WRONG}@127.0.0.1:${port}`, PORT: '0' })
    expect(run.code).toBe(1)
    expect(run.output).toContain('the store could not be opened')
    expect(run.output).toContain('WRONGPASS')
    expect(run.output).not.toContain(WRONG)
  })

  it('a URL that does not parse is named without its password', async () => {
    // Port 99999 is out of range: Node's URL parser refuses it, and its error carries the input.
    const run = await runToExit({ STORE_URL: `redis://:${WRONG}@127.0.0.1:99999`, PORT: '0' })
    expect(run.code).toBe(1)
    expect(run.output).toContain('not a valid redis URL')
    expect(run.output).not.toContain(WRONG)
  })
})

describe('tokens in the log', () => {
  it('no owner, API or operator token appears in any log line, at trace level', async () => {
    const api = await spawnApi({
      STORE_URL: 'memory',
      PORT: '0',
      LOG_LEVEL: 'trace',
      DEMO_TOKEN_DELAY_MS: '0',
      API_TOKEN: 'the-api-token-in-no-log-line',
      OPERATOR_TOKEN: 'the-operator-token-in-no-log-line',
    })
    try {
      const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
      const res = await fetch(`${api.baseUrl}/api/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer('the-api-token-in-no-log-line') },
        body: JSON.stringify({ topic: 'tea', reviewOutline: true }),
      })
      expect(res.status).toBe(202)
      const { id, ownerToken } = (await res.json()) as { id: string; ownerToken: string }
      const operator = bearer('the-operator-token-in-no-log-line')
      expect((await fetch(`${api.baseUrl}/api/jobs`, { headers: operator })).status).toBe(200)
      expect((await fetch(`${api.baseUrl}/metrics`, { headers: operator })).status).toBe(200)
      const cancel = (token: string) =>
        fetch(`${api.baseUrl}/api/jobs/${id}/cancel`, { method: 'POST', headers: bearer(token) })
      expect((await cancel(`${ownerToken}x`)).status).toBe(403)
      expect((await cancel(ownerToken)).status).toBe(202)
      await stopApi(api, 'SIGTERM')
      const output = api.output()
      expect(output).toContain('/cancel')
      for (const secret of [
        ownerToken,
        'the-api-token-in-no-log-line',
        'the-operator-token-in-no-log-line',
      ]) {
        expect(output).not.toContain(secret)
      }
    } finally {
      await stopApi(api)
    }
  })
})
