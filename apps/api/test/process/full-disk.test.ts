import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { expectWholeLog } from '../helpers/job-log.js'
import { type EventStream, readStream } from '../helpers/sse-reader.js'
import { type ApiProcess, spawnApi, stopApi } from './spawn-api.js'
import { mountTmpfs } from './tmpfs.js'
import { waitUntil } from './wait-until.js'

const disk = mountTmpfs('4m', 'the full-disk test')
const OUTAGE_TIMEOUT_MS = 2000

async function post(baseUrl: string, topic: string) {
  const res = await fetch(`${baseUrl}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ topic }),
  })
  return { status: res.status, headers: res.headers, body: (await res.json()) as { id?: string } }
}

const readyz = async (baseUrl: string) => (await fetch(`${baseUrl}/readyz`)).status

describe.runIf(disk)('SQLite on a disk that fills up while jobs run', () => {
  let api: ApiProcess | undefined
  afterAll(async () => {
    await stopApi(api)
    disk?.unmount()
  })

  it('answers 503 while full, waits the fault out, and ends every accepted job in the same process', async () => {
    const dir = disk!.dir
    const file = join(dir, 'inkflow.db')
    api = await spawnApi({
      STORE_URL: `sqlite:${file}`,
      HOST: '127.0.0.1',
      PORT: '0',
      DEMO_TOKEN_DELAY_MS: '5',
      STORE_OUTAGE_TIMEOUT: `${OUTAGE_TIMEOUT_MS}ms`,
    })
    const { baseUrl } = api
    expect(await readyz(baseUrl)).toBe(200)

    const accepted: string[] = []
    for (let i = 0; i < 4; i++) {
      const res = await post(baseUrl, `a full disk ${i}`)
      expect(res.status).toBe(202)
      accepted.push(res.body.id!)
    }
    const lastTs = new Map<string, number>()
    const follow = (id: string) =>
      readStream(`${baseUrl}/api/jobs/${id}/events`, {
        timeoutMs: 90_000,
        onEvent: () => lastTs.set(id, Date.now()),
      })
    const streams = new Map<string, Promise<EventStream>>(accepted.map((id) => [id, follow(id)]))
    await waitUntil('every job writes its sections', () => accepted.every((id) => lastTs.has(id)))

    disk!.fill()
    // While writes fail: POST is a 503 problem with Retry-After (never a 500), /readyz a 503.
    const statuses: number[] = []
    await waitUntil(
      'POST /api/jobs answers 503',
      async () => {
        const res = await post(baseUrl, 'while full')
        statuses.push(res.status)
        if (res.status === 202) {
          accepted.push(res.body.id!) // taken before the fault was seen: it must end too
          streams.set(res.body.id!, follow(res.body.id!))
        }
        if (res.status !== 503) return false
        expect(res.headers.get('content-type')).toContain('application/problem+json')
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
        return true
      },
      10_000,
    )
    expect(statuses.filter((s) => s !== 202 && s !== 503)).toEqual([])
    expect(await readyz(baseUrl)).toBe(503)

    // Longer than STORE_OUTAGE_TIMEOUT: the running jobs stop their model calls, left for recovery.
    await waitUntil(
      'a job is left for recovery',
      () => api!.output().includes('the store took no write for too long'),
      OUTAGE_TIMEOUT_MS + 15_000,
    )
    expect(await readyz(baseUrl)).toBe(503)

    disk!.free()
    const freedAt = Date.now()
    await waitUntil(
      '/readyz answers 200 again',
      async () => (await readyz(baseUrl)) === 200,
      10_000,
    )
    const readyAfterMs = Date.now() - freedAt

    const ended = await Promise.all(accepted.map((id) => streams.get(id)!)).catch((err) => {
      throw new Error(`${err}\n${api?.output()}`)
    })
    for (const followed of ended) expectWholeLog(followed.events)
    const resumedAfterMs = accepted.map((id) => {
      const firstLater = ended[accepted.indexOf(id)]!.events.find(
        (e) => Date.parse(e.ts) >= freedAt,
      )
      return firstLater ? Date.parse(firstLater.ts) - freedAt : undefined
    })
    console.info(
      `full disk freed: /readyz 200 after ${readyAfterMs} ms; next event per job after ${resumedAfterMs.join(', ')} ms`,
    )

    // The same process serves again: a new job runs to its end.
    const after = await post(baseUrl, 'after the disk was freed')
    expect(after.status).toBe(202)
    expectWholeLog((await follow(after.body.id!)).events)

    await stopApi(api, 'SIGTERM')
    const db = new Database(file, { readonly: true })
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      const running = db.prepare("SELECT count(*) FROM jobs WHERE status IN ('queued','running')")
      expect(running.pluck().get()).toBe(0)
    } finally {
      db.close()
    }
  }, 150_000)
})
