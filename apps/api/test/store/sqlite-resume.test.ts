import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ProgressEvent } from '@inkflow/shared'
import { DEFAULT_JOB_OPTIONS } from '@inkflow/shared'
import { pino } from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import type { UnsequencedEvent } from '../../src/events/event-log.js'
import { createJobExecutor } from '../../src/jobs/execute-job.js'
import { createJobFinisher } from '../../src/jobs/finish-job.js'
import { createDemoClient } from '../../src/llm/demo.js'
import type { LlmClient } from '../../src/llm/llm.js'
import { openSqliteStorage } from '../../src/store/sqlite/open-sqlite-storage.js'
import { type ModelCall, modelCall } from '../helpers/model-call.js'

const dir = mkdtempSync(join(tmpdir(), 'inkflow-resume-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The demo model, recording what each call was for. */
function recordingModel(calls: ModelCall[]): LlmClient {
  const demo = createDemoClient({ tokenDelayMs: 0 })
  return {
    ...demo,
    complete(request) {
      calls.push(modelCall(request))
      return demo.complete(request)
    },
  }
}

describe('resuming a job on the sqlite store', () => {
  it('takes an outline and sections from the log when the kill came before their checkpoint', async () => {
    const storage = openSqliteStorage(join(dir, 'inkflow.db'))
    const jobId = 'killed-before-checkpoint'
    const ts = new Date().toISOString()
    const outline = { title: 'Tea', sections: ['Leaves', 'Water', 'Time'] }
    await storage.jobs.create({ id: jobId, topic: 'tea', createdAt: ts })
    // What a first attempt left: running, its checkpoint still empty, its log further on.
    await storage.jobs.update(jobId, {
      status: 'running',
      attempt: 1,
      progress: 40,
      checkpoint: JSON.stringify({
        topic: 'tea',
        sections: [],
        usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
      }),
    })
    const logged: UnsequencedEvent[] = [
      { type: 'job.queued', jobId, ts, progress: 0, topic: 'tea', options: DEFAULT_JOB_OPTIONS },
      { type: 'job.started', jobId, ts, progress: 0, attempt: 1 },
      { type: 'step.started', jobId, ts, progress: 0, step: 'outline' },
      { type: 'outline.ready', jobId, ts, progress: 30, ...outline },
      { type: 'step.completed', jobId, ts, progress: 30, step: 'outline' },
      { type: 'step.started', jobId, ts, progress: 30, step: 'content' },
      { type: 'section.started', jobId, ts, progress: 30, index: 0, title: 'Leaves' },
      {
        type: 'section.completed',
        jobId,
        ts,
        progress: 46,
        index: 0,
        title: 'Leaves',
        content: 'Green.',
      },
      { type: 'section.started', jobId, ts, progress: 46, index: 1, title: 'Water' },
    ]
    for (const event of logged) await storage.events.append(event)

    const calls: ModelCall[] = []
    const execute = createJobExecutor({
      jobs: storage.jobs,
      events: storage.events,
      finish: createJobFinisher(storage),
      llm: recordingModel(calls),
      logger: pino({ level: 'silent' }),
    })
    await execute(jobId, new AbortController().signal)

    expect(calls.map((c) => (c.task === 'section' ? `section ${c.index}` : c.task))).toEqual([
      'section 1',
      'section 2',
      'style',
    ])
    const job = await storage.jobs.get(jobId)
    expect(job?.status).toBe('completed')
    expect(job?.article?.title).toBeDefined()
    const log: ProgressEvent[] = await storage.events.read(jobId, 0)
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1))
    expect(log[logged.length]).toMatchObject({ type: 'job.started', attempt: 2 })
    expect(log.at(-1)?.type).toBe('job.completed')
    await storage.close()
  })
})
