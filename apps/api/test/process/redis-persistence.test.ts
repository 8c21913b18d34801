import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJobFrom } from '../helpers/http-from.js'
import { getJob } from '../helpers/job-client.js'
import { readStream, seqsOf as seqs } from '../helpers/sse-reader.js'
import { freePort } from './nginx.js'
import { type RedisServer, redisServerForTests, startRedis } from './redis-server.js'
import { type ApiProcess, spawnApi, stopApi } from './spawn-api.js'

describe.runIf(redisServerForTests('Redis persistence'))(
  'redis mode with appendonly yes: Redis restarts',
  () => {
    let dir: string
    let port: number
    let redis: RedisServer | undefined
    let api: ApiProcess | undefined
    let env: Record<string, string>

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'inkflow-redis-aof-'))
      port = await freePort()
      redis = await startRedis(dir, port)
      env = {
        STORE_URL: `redis://127.0.0.1:${port}`,
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
        DEMO_TOKEN_DELAY_MS: '5',
        STALL_INTERVAL_MS: '1000',
      }
    })
    afterAll(async () => {
      await stopApi(api)
      await redis?.stop()
      if (dir) rmSync(dir, { recursive: true, force: true })
    })

    it('loses no event, job, queued work or spend', async () => {
      api = await spawnApi(env)
      // A job that finishes before the restart…
      const first = await postJobFrom('127.0.0.2', api.baseUrl)
      const doneId = (JSON.parse(first.body) as { id: string }).id
      const before = await readStream(`${api.baseUrl}/api/jobs/${doneId}/events`)
      expect(before.events.at(-1)?.type).toBe('job.completed')
      // …and one cut off mid-way: the API stops (its job goes back to the queue), then Redis.
      const second = await postJobFrom('127.0.0.2', api.baseUrl)
      const cutId = (JSON.parse(second.body) as { id: string }).id
      await readStream(`${api.baseUrl}/api/jobs/${cutId}/events`, {
        onEvent: (e) => {
          if (e.type === 'section.started') api?.child.kill('SIGTERM')
        },
      })
      await api.exited
      await redis!.stop()
      expect(readdirSync(dir).some((name) => name.startsWith('appendonly'))).toBe(true)

      redis = await startRedis(dir, port)
      api = await spawnApi(env)
      // The finished job, its whole log and its article are all there.
      const after = await readStream(`${api.baseUrl}/api/jobs/${doneId}/events`)
      expect(after.events.length).toBe(before.events.length)
      expect(after.events).toEqual(before.events)
      expect((await getJob(api.baseUrl, doneId)).status).toBe('completed')
      // The cut job is still queued in BullMQ: the new process resumes and finishes it.
      const resumed = await readStream(`${api.baseUrl}/api/jobs/${cutId}/events`)
      expect(resumed.events.at(-1)?.type).toBe('job.completed')
      expect(seqs(resumed.events)).toEqual(resumed.events.map((_, i) => i + 1))
      // The client's spend for today survived too.
      const client = new Redis({ port })
      try {
        const keys = await client.keys('inkflow:spend:*:127.0.0.2')
        expect(keys.length).toBe(1)
        expect(Number(await client.get(keys[0]!))).toBeGreaterThan(0)
      } finally {
        client.disconnect()
      }
    })
  },
)
