import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import { createJobExecutor } from '../../src/jobs/execute-job.js'
import { createJobFinisher } from '../../src/jobs/finish-job.js'
import { createDemoClient } from '../../src/llm/demo.js'
import { openSqliteStorage } from '../../src/store/sqlite/open-sqlite-storage.js'
import { queuedEvent } from '../helpers/log-events.js'

const dir = mkdtempSync(join(tmpdir(), 'inkflow-completion-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('finishing a job on the sqlite store', () => {
  it('never shows the job completed while its log still lacks the terminal event', async () => {
    const storage = openSqliteStorage(join(dir, 'inkflow.db'))
    const jobId = 'finishes-atomically'
    const ts = new Date().toISOString()
    await storage.jobs.create({ id: jobId, topic: 'tea', createdAt: ts })
    await storage.events.append(queuedEvent(jobId, ts))
    const execute = createJobExecutor({
      jobs: storage.jobs,
      events: storage.events,
      finish: createJobFinisher(storage),
      llm: createDemoClient({ tokenDelayMs: 0 }),
      logger: pino({ level: 'silent' }),
    })

    // A reader looking once per turn of the event loop, between the store's commits.
    let done = false
    let looks = 0
    let seenCompleted: { lastEvent: string | undefined } | undefined
    const look = async () => {
      while (looks < 1_000_000) {
        looks++
        const last = done // one more look after the job ended
        const job = await storage.jobs.get(jobId)
        if (job?.status === 'completed') {
          const events = await storage.events.read(jobId, 0, 10_000)
          seenCompleted = { lastEvent: events.at(-1)?.type }
          return
        }
        if (last) return
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    const reader = look()
    await execute(jobId, new AbortController().signal)
    done = true
    await reader

    expect(looks).toBeGreaterThan(10) // it did look while the job ran
    expect(seenCompleted).toEqual({ lastEvent: 'job.completed' })
    await storage.close()
  })
})
