import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectWholeLog } from '../helpers/job-log.js'
import { type EventStream, readStream } from '../helpers/sse-reader.js'
import { freePort } from './nginx.js'
import { type RedisServer, redisServerForTests, startRedis } from './redis-server.js'
import { type ApiProcess, spawnApi, stopApi } from './spawn-api.js'
import { waitUntil } from './wait-until.js'

const PASSWORD = 'pw-Zq7#never-logged'
const OUTAGE_TIMEOUT_MS = 2000

interface Wave {
  ids: string[]
  streams: Promise<EventStream>[]
  /** When each job's latest event arrived. */
  arrivals: Map<string, number[]>
}

describe.runIf(redisServerForTests('Redis outages'))(
  'redis mode while Redis pauses, restarts and stays away',
  () => {
    let dir: string
    let port: number
    let redis: RedisServer | undefined
    let api: ApiProcess | undefined

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'inkflow-redis-outage-'))
      port = await freePort()
      redis = await startRedis(dir, port, { password: PASSWORD })
    })
    afterAll(async () => {
      await stopApi(api)
      await redis?.stop()
      if (dir) rmSync(dir, { recursive: true, force: true })
    })

    it('waits every fault out, logs each connection once per change, and never logs the password', async () => {
      const url = `redis://:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`
      api = await spawnApi({
        STORE_URL: url,
        HOST: '127.0.0.1',
        PORT: '0',
        DEMO_TOKEN_DELAY_MS: '5',
        STORE_OUTAGE_TIMEOUT: `${OUTAGE_TIMEOUT_MS}ms`,
      })
      const { baseUrl } = api

      /** Three jobs, followed from their first event, each writing its sections already. */
      const startWave = async (name: string): Promise<Wave> => {
        const wave: Wave = { ids: [], streams: [], arrivals: new Map() }
        for (let i = 0; i < 3; i++) {
          const res = await fetch(`${baseUrl}/api/jobs`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ topic: `${name} ${i}` }),
          })
          expect(res.status).toBe(202)
          const { id } = (await res.json()) as { id: string }
          wave.ids.push(id)
          wave.arrivals.set(id, [])
          wave.streams.push(
            readStream(`${baseUrl}/api/jobs/${id}/events`, {
              timeoutMs: 120_000,
              onEvent: (e) => {
                if (e.type === 'section.started' || e.type === 'token')
                  wave.arrivals.get(id)!.push(Date.now())
              },
            }),
          )
        }
        await waitUntil(
          `the ${name} jobs write their sections`,
          () => wave.ids.every((id) => wave.arrivals.get(id)!.length > 0),
          15_000,
        )
        return wave
      }
      /** Every job ends whole; returns, per job, how long after `over` its next event came. */
      const endWave = async (wave: Wave, over: number) => {
        const ended = await Promise.all(wave.streams).catch((err) => {
          throw new Error(`${err}\n${api?.output()}`)
        })
        for (const followed of ended) expectWholeLog(followed.events)
        return wave.ids.map((id) => {
          const next = wave.arrivals.get(id)!.find((t) => t >= over)
          return next === undefined ? 'ended before' : `${next - over} ms`
        })
      }

      // 1. CLIENT PAUSE: every command waits; readers see a pause.
      const admin = new Redis({ port, password: PASSWORD, lazyConnect: true })
      admin.on('error', () => {})
      const paused = await startWave('paused')
      await admin.call('CLIENT', 'PAUSE', '1500', 'ALL')
      const pauseOver = Date.now() + 1500
      admin.disconnect()
      const afterPause = await endWave(paused, pauseOver)

      // 2. A restart (appendonly yes): Redis is away for as long as it takes to stop and start.
      const restarted = await startWave('restarted')
      await redis!.stop()
      redis = await startRedis(dir, port, { password: PASSWORD })
      const restartOver = Date.now()
      const afterRestart = await endWave(restarted, restartOver)

      // 3. Away longer than STORE_OUTAGE_TIMEOUT: 503s meanwhile; jobs stop, then resume.
      const away = await startWave('away')
      await redis!.stop()
      await waitUntil(
        'a job is left for recovery',
        () => api!.output().includes('the store took no write for too long'),
        OUTAGE_TIMEOUT_MS + 15_000,
      )
      expect((await fetch(`${baseUrl}/readyz`)).status).toBe(503)
      const refused = await fetch(`${baseUrl}/api/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ topic: 'while Redis is away' }),
      })
      expect(refused.status).toBe(503)
      expect(refused.headers.get('content-type')).toContain('application/problem+json')
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
      redis = await startRedis(dir, port, { password: PASSWORD })
      const awayOver = Date.now()
      const afterAway = await endWave(away, awayOver)
      await waitUntil(
        '/readyz answers 200 again',
        async () => (await fetch(`${baseUrl}/readyz`)).status === 200,
        10_000,
      )

      console.info(
        `redis faults over → next event per job: CLIENT PAUSE ${afterPause.join(', ')}; restart ${afterRestart.join(', ')}; away past the timeout ${afterAway.join(', ')}`,
      )

      // Two outages dropped every connection: each logs at most one warning per outage.
      const lines = api.lines as { level?: number; msg?: string; connection?: string }[]
      const lost = new Map<string, number>()
      for (const line of lines) {
        if (line.msg === 'redis connection lost; reconnecting')
          lost.set(line.connection!, (lost.get(line.connection!) ?? 0) + 1)
      }
      expect(lost.get('commands')).toBeGreaterThanOrEqual(1)
      for (const [connection, count] of lost)
        expect([connection, count <= 2]).toEqual([connection, true])
      const warnings = lines.filter((l) => l.level === 40)
      const byMessage = new Map<string, number>()
      for (const w of warnings) byMessage.set(w.msg ?? '', (byMessage.get(w.msg ?? '') ?? 0) + 1)
      const lostBy = [...lost].map(([c, n]) => `${c} ${n}`).join(', ')
      console.info(
        `warnings over the three faults: ${warnings.length} (connections lost: ${lostBy}): ${[...byMessage].map(([m, n]) => `${n}× ${m}`).join('; ')}`,
      )
      expect(warnings.filter((l) => l.msg === 'redis error')).toEqual([])
      expect(api.output()).not.toContain('Unhandled error event')
      expect(api.output()).not.toContain(PASSWORD)
      expect(api.output()).not.toContain(encodeURIComponent(PASSWORD))
    }, 240_000)

    it('never shows the password when it cannot start (a wrong password)', async () => {
      const wrong = 'wrong-Pw-also-secret'
      const started = spawnApi({
        STORE_URL: `redis://:${wrong}@127.0.0.1:${port}`,
        HOST: '127.0.0.1',
        PORT: '0',
      })
      const err = await started.then(
        () => new Error('the API started with a wrong password'),
        (e: Error) => e,
      )
      expect(err.message).toMatch(/exited \(1\)/)
      expect(err.message).toContain('could not start')
      expect(err.message).not.toContain(wrong)
    })
  },
)
