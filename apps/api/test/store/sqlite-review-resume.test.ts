import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_JOB_OPTIONS } from '@inkflow/shared'
import { pino } from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import { createJobExecutor } from '../../src/jobs/execute-job.js'
import { createJobFinisher } from '../../src/jobs/finish-job.js'
import { ShutdownRequested } from '../../src/jobs/interrupts.js'
import type { JobQueue } from '../../src/jobs/job-queue.js'
import { createOutlineReview } from '../../src/jobs/outline-review.js'
import { createDemoClient } from '../../src/llm/demo.js'
import type { LlmClient } from '../../src/llm/llm.js'
import { openSqliteStorage } from '../../src/store/sqlite/open-sqlite-storage.js'
import { type ModelCall, modelCall } from '../helpers/model-call.js'

const dir = mkdtempSync(join(tmpdir(), 'inkflow-review-resume-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('a reviewed job on the sqlite store', () => {
  it('resumes after a crash with the approved outline, never planning again', async () => {
    const path = join(dir, 'inkflow.db')
    let storage = openSqliteStorage(path)
    const jobId = 'reviewed-then-killed'
    const options = { ...DEFAULT_JOB_OPTIONS, reviewOutline: true }
    await storage.jobs.create({
      id: jobId,
      topic: 'tea',
      createdAt: new Date().toISOString(),
      options,
    })

    const calls: ModelCall[] = []
    let stopAtSection: number | undefined
    let run = new AbortController()
    const demo = createDemoClient({ tokenDelayMs: 0 })
    const model: LlmClient = {
      ...demo,
      complete(request) {
        const call = modelCall(request)
        calls.push(call)
        // The process dies as it starts this section: the run is interrupted, not failed.
        if (call.task === 'section' && call.index === stopAtSection) {
          run.abort(new ShutdownRequested())
        }
        return demo.complete(request)
      },
    }
    const executor = () =>
      createJobExecutor({
        jobs: storage.jobs,
        events: storage.events,
        finish: createJobFinisher(storage),
        llm: model,
        logger: pino({ level: 'silent' }),
      })

    // First run: the outline, then the job parks.
    await executor()(jobId, run.signal)
    const parked = await storage.jobs.get(jobId)
    expect(parked).toMatchObject({ status: 'waiting', progress: 30, attempt: 1 })
    expect(calls.map((c) => c.task)).toEqual(['outline'])

    // The owner approves an edited outline.
    const enqueued: string[] = []
    const queue = { requeue: async (id: string) => void enqueued.push(id) } as JobQueue
    const review = createOutlineReview({ jobs: storage.jobs, events: storage.events, queue })
    const approved = { title: 'Tea, Approved', sections: ['Water first', 'Then leaves', 'Wait'] }
    await review.approve(jobId, approved)
    expect(enqueued).toEqual([jobId])

    // Second run: one section written, killed in the next.
    calls.length = 0
    stopAtSection = 1
    await executor()(jobId, run.signal)
    expect((await storage.jobs.get(jobId))?.status).toBe('running')

    // A restart on the same file: the third run carries on from the approved outline.
    await storage.close()
    storage = openSqliteStorage(path)
    run = new AbortController()
    stopAtSection = undefined
    await executor()(jobId, run.signal)

    expect(calls.map((c) => c.task)).not.toContain('outline')
    const written = calls.flatMap((c) => (c.task === 'section' ? [c.title] : []))
    expect(written).toEqual(['Water first', 'Then leaves', 'Then leaves', 'Wait'])
    const job = await storage.jobs.get(jobId)
    expect(job?.status).toBe('completed')
    expect(job?.outline).toEqual(approved)
    expect(job?.article?.sections.map((s) => s.title)).toEqual(approved.sections)
    const log = await storage.events.read(jobId, 0, 10_000)
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1))
    expect(log.filter((e) => e.type === 'outline.ready')).toHaveLength(1)
    expect(log.filter((e) => e.type === 'job.waiting')).toHaveLength(1)
    const completedTitles = log.flatMap((e) => (e.type === 'section.completed' ? [e.title] : []))
    expect(completedTitles).toEqual(approved.sections)
    await storage.close()
  })
})
