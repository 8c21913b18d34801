import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../src/compose/create-runtime.js'
import { createStorage, type Storage } from '../../src/compose/create-storage.js'
import { loadSettings } from '../../src/env.js'
import { createDemoClient } from '../../src/llm/demo.js'
import { waitUntil } from '../process/wait-until.js'

describe('JOB_TTL', () => {
  it('reads 7 days by default, and durations like 12h, 30m or plain ms', () => {
    expect(loadSettings({}).jobTtlMs).toBe(7 * 24 * 3_600_000)
    expect(loadSettings({ JOB_TTL: '12h' }).jobTtlMs).toBe(12 * 3_600_000)
    expect(loadSettings({ JOB_TTL: '30m' }).jobTtlMs).toBe(30 * 60_000)
    expect(loadSettings({ JOB_TTL: '90000' }).jobTtlMs).toBe(90_000)
  })

  it.each(['soon', '-1d', '1.5h', '10'])('refuses %s, naming JOB_TTL', (value) => {
    expect(() => loadSettings({ JOB_TTL: value })).toThrow(/JOB_TTL/)
  })
})

describe('retention on the sqlite store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inkflow-retention-'))
  let storage: Storage
  let runtime: Runtime
  let server: Server
  let baseUrl: string

  beforeAll(async () => {
    const settings = loadSettings({ STORE_URL: `sqlite:${join(dir, 'inkflow.db')}`, JOB_TTL: '1s' })
    storage = await createStorage(settings.storeUrl)
    runtime = createRuntime({
      settings,
      storage,
      llm: createDemoClient({ tokenDelayMs: 0 }),
      logger: pino({ level: 'silent' }),
    })
    server = runtime.app.listen(0, '127.0.0.1')
    await once(server, 'listening')
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    await runtime?.stop()
    server?.closeAllConnections()
    server?.close()
    await storage?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('removes a finished job and its events once JOB_TTL has passed: 404 after', async () => {
    // An unfinished job far older than the TTL: never swept.
    const waiting = 'waiting-job'
    await storage.jobs.create({ id: waiting, topic: 'w', createdAt: '2020-01-01T00:00:00.000Z' })
    const res = await fetch(`${baseUrl}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic: 'short-lived' }),
    })
    const { id } = (await res.json()) as { id: string }
    const statusOf = async () => (await fetch(`${baseUrl}/api/jobs/${id}`)).status
    expect(await statusOf()).toBe(200)
    await waitUntil('the finished job is swept', async () => (await statusOf()) === 404, 15_000)
    expect((await fetch(`${baseUrl}/api/jobs/${id}/events`)).status).toBe(404)
    expect(await storage.events.read(id, 0)).toEqual([])
    expect(await storage.jobs.get(waiting)).toBeDefined()
  })
})
