import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJob } from '../helpers/job-client.js'
import { freePort } from './nginx.js'
import { type RedisServer, redisServerForTests, startRedis } from './redis-server.js'
import { runMain, spawnApi, stopApi } from './spawn-api.js'

// Nothing secret leaves the process: not a store password in a start-up error, not an
// owner, API or operator token in any log line, at any level.

const PASSWORD = 'the-right-redis-password'
const WRONG = 'hunter2-wrong-redis-password'

/** Runs the built API until it exits (at most 15 s); returns its code and everything it printed. */
async function runToExit(env: Record<string, string>) {
  const { code, stdout, stderr } = await runMain(env)
  return { code, output: stdout + stderr }
}

describe.runIf(redisServerForTests('the Redis password tests'))(
  'a Redis URL with a password',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkflow-secrets-'))
    let redis: RedisServer | undefined
    let port: number
    beforeAll(async () => {
      port = await freePort()
      redis = await startRedis(dir, port, { password: PASSWORD })
    })
    afterAll(async () => {
      await redis?.stop()
      rmSync(dir, { recursive: true, force: true })
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
  },
)

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
      const { id, ownerToken } = await postJob(
        api.baseUrl,
        { topic: 'tea', reviewOutline: true },
        bearer('the-api-token-in-no-log-line'),
      )
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
