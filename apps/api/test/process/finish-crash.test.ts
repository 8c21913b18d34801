import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isTerminalEvent, type Job } from '@inkflow/shared'
import Database from 'better-sqlite3'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { FailpointName } from '../../src/lib/failpoint.js'
import { createJob, getJob } from '../helpers/job-client.js'
import { readStream } from '../helpers/sse-reader.js'
import { type ApiProcess, spawnApi, stopApi } from './spawn-api.js'
import { waitUntil } from './wait-until.js'

const OPERATOR_TOKEN = 'finish-crash-operator-token'
const auth = { authorization: `Bearer ${OPERATOR_TOKEN}` }
const TERMINAL_STATUS: Record<string, string> = {
  'job.completed': 'completed',
  'job.failed': 'failed',
  'job.cancelled': 'cancelled',
}

const root = mkdtempSync(join(tmpdir(), 'inkflow-finish-crash-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let api: ApiProcess | undefined
afterEach(async () => {
  await stopApi(api)
  api = undefined
})

function settings(dbPath: string, extra: Record<string, string> = {}) {
  return {
    STORE_URL: `sqlite:${dbPath}`,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    LLM_PROVIDER: 'demo',
    DEMO_TOKEN_DELAY_MS: '0',
    OPERATOR_TOKEN,
    ...extra,
  }
}

const postJob = (baseUrl: string, topic: string) => createJob(baseUrl, topic, auth)

/** Runs until the failpoint kills the process, and checks that it was the failpoint. */
async function untilKilled(victim: ApiProcess, point: FailpointName) {
  const exit = await victim.exited
  expect(exit.signal, victim.output()).toBe('SIGKILL')
  expect(victim.output()).toContain(`failpoint ${point} reached`)
}

/**
 * What the file holds for a job right after the kill, before anything recovers it: the
 * job's status and its log. They must agree — a finished job's log ends with its one
 * terminal event, an unfinished job's log has none — and the log is 1..n.
 */
function expectConsistentOnDisk(dbPath: string, jobId: string) {
  const db = new Database(dbPath)
  try {
    const row = db.prepare('SELECT status FROM jobs WHERE id = ?').get(jobId) as
      | { status: string }
      | undefined
    const events = db
      .prepare('SELECT seq, type FROM events WHERE job_id = ? ORDER BY seq')
      .all(jobId) as { seq: number; type: string }[]
    expect(row).toBeDefined()
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
    const terminal = events.filter((e) => isTerminalEvent(e))
    expect(terminal.length).toBeLessThanOrEqual(1)
    const last = events.at(-1)
    if (terminal.length === 1) {
      expect(last?.type).toBe(terminal[0]?.type)
      expect(row?.status).toBe(TERMINAL_STATUS[last!.type])
    } else {
      expect(['queued', 'running']).toContain(row?.status)
    }
    return { status: row!.status, events: events.length }
  } finally {
    db.close()
  }
}

/** The whole log as a fresh reader sees it, which must end by itself after one terminal event. */
async function expectWholeLog(baseUrl: string, jobId: string, status: Job['status']) {
  const whole = await readStream(`${baseUrl}/api/jobs/${jobId}/events`, { timeoutMs: 20_000 })
  expect(whole.endedByServer).toBe(true)
  expect(whole.events.map((e) => e.seq)).toEqual(whole.events.map((_, i) => i + 1))
  expect(whole.events.filter(isTerminalEvent)).toHaveLength(1)
  expect(whole.events.at(-1)?.type).toBe(`job.${status}`)
  expect((await getJob(baseUrl, jobId)).status).toBe(status)
  return whole.events
}

/** Where each point leaves the job on disk: before its finish commits, or after. */
const POINTS: [FailpointName, 'running' | 'completed'][] = [
  ['execute:flow-done', 'running'],
  ['finish:before-commit', 'running'],
  ['finish:commit-queued', 'running'],
  ['finish:after-commit', 'completed'],
]

describe('the built API killed (SIGKILL) around a job’s end, on SQLite', () => {
  it.each(POINTS)(
    'at %s: the file holds a %s job whose log agrees, and a restart ends it once',
    async (point, onDisk) => {
      const dbPath = join(root, point.replace(':', '-'), 'inkflow.db')
      const victim = await spawnApi(settings(dbPath, { INKFLOW_FAILPOINT: point }))
      api = victim
      const jobId = await postJob(victim.baseUrl, `killed at ${point}`)
      // The job may reach the point before the stream connects: then nothing was seen.
      const seen = await readStream(`${victim.baseUrl}/api/jobs/${jobId}/events`).catch(() => ({
        events: [],
      }))
      await untilKilled(victim, point)

      const disk = expectConsistentOnDisk(dbPath, jobId)
      expect(disk.status).toBe(onDisk)

      api = await spawnApi(settings(dbPath))
      // The first reader reconnects with the last id it saw and gets exactly the rest.
      const lastSeen = seen.events.at(-1)?.seq ?? 0
      const resumed = await readStream(`${api.baseUrl}/api/jobs/${jobId}/events`, {
        lastEventId: lastSeen,
      })
      expect(resumed.endedByServer).toBe(true)
      const whole = await expectWholeLog(api.baseUrl, jobId, 'completed')
      // What the first reader saw is still the log's beginning: nothing lost or rewritten.
      expect(whole.slice(0, seen.events.length)).toEqual(seen.events)
      expect(resumed.events).toEqual(whole.slice(lastSeen))
      const runs = whole.filter((e) => e.type === 'job.started').length
      // A job that had not finished ran again; one that had did not.
      expect(runs).toBe(onDisk === 'completed' ? 1 : 2)
      const job = await getJob(api.baseUrl, jobId)
      expect(job.article?.sections.length).toBeGreaterThan(0)
    },
  )

  it.each([
    ['finish:before-commit', 'queued'],
    ['finish:after-commit', 'cancelled'],
  ] as const)(
    'at %s while cancelling a queued job: the file holds a %s job whose log agrees',
    async (point, onDisk) => {
      const dbPath = join(root, `cancel-${point.replace(':', '-')}`, 'inkflow.db')
      // One job at a time, slowly: the second waits in the queue while the first runs.
      const slow = { MAX_CONCURRENT_JOBS: '1', DEMO_TOKEN_DELAY_MS: '20' }
      const victim = await spawnApi(settings(dbPath, { ...slow, INKFLOW_FAILPOINT: point }))
      api = victim
      const running = await postJob(victim.baseUrl, 'runs first')
      const queued = await postJob(victim.baseUrl, 'waits, then is cancelled')
      await waitUntil('the first job runs', async () => {
        return (await getJob(victim.baseUrl, running)).status === 'running'
      })
      expect((await getJob(victim.baseUrl, queued)).status).toBe('queued')
      const cancel = fetch(`${victim.baseUrl}/api/jobs/${queued}/cancel`, {
        method: 'POST',
        headers: auth,
      }).catch(() => undefined)
      await untilKilled(victim, point)
      await cancel

      const disk = expectConsistentOnDisk(dbPath, queued)
      expect(disk.status).toBe(onDisk)
      expect(expectConsistentOnDisk(dbPath, running).status).toBe('running')

      api = await spawnApi(settings(dbPath))
      // Not cancelled on disk: it was never cancelled, and runs after the restart.
      await expectWholeLog(api.baseUrl, queued, onDisk === 'cancelled' ? 'cancelled' : 'completed')
      await expectWholeLog(api.baseUrl, running, 'completed')
    },
  )
})
