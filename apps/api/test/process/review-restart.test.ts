import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Job } from '@inkflow/shared'
import { afterAll, describe, expect, it } from 'vitest'
import { eventsOf, getJob, postJob, putOutline } from '../helpers/job-client.js'
import { openStream } from '../helpers/sse-reader.js'
import { type ApiProcess, spawnApi, stopApi } from './spawn-api.js'
import { waitUntil } from './wait-until.js'

/** What a stream sends within `ms` (a waiting job's stream does not end by itself). */
async function readFor(url: string, ms: number): Promise<string> {
  const stream = await openStream(url)
  await new Promise((resolve) => setTimeout(resolve, ms))
  stream.close()
  return stream.raw
}

describe('the built API (sqlite) killed while jobs wait for their review', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inkflow-review-restart-'))
  let api: ApiProcess | undefined
  const env = {
    STORE_URL: `sqlite:${join(dir, 'data', 'inkflow.db')}`,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    LLM_PROVIDER: 'demo',
    DEMO_TOKEN_DELAY_MS: '0',
    REVIEW_TIMEOUT: '8s',
  }
  afterAll(async () => {
    await stopApi(api)
    rmSync(dir, { recursive: true, force: true })
  })

  it('keeps them waiting across the restart; one approved completes, the other expires', async () => {
    api = await spawnApi(env)
    const first = api
    const approvedJob = await postJob(first.baseUrl, { topic: 'kept waiting', reviewOutline: true })
    const leftJob = await postJob(first.baseUrl, { topic: 'left waiting', reviewOutline: true })
    let before: Job | undefined
    await waitUntil('both jobs wait', async () => {
      before = await getJob(first.baseUrl, approvedJob.id)
      return (
        before.status === 'waiting' &&
        (await getJob(first.baseUrl, leftJob.id)).status === 'waiting'
      )
    })
    await stopApi(first, 'SIGKILL')

    api = await spawnApi(env)
    const second = api
    const after = await getJob(second.baseUrl, approvedJob.id)
    expect(after).toMatchObject({ status: 'waiting', progress: 30, outline: before?.outline })
    // Not run again by the start-up recovery: its log still ends with job.waiting.
    await new Promise((resolve) => setTimeout(resolve, 300))
    const logBefore = await readFor(`${second.baseUrl}/api/jobs/${approvedJob.id}/events`, 300)
    expect(logBefore).toContain('event: job.waiting')
    expect(logBefore).not.toContain('"attempt":2')
    expect((await getJob(second.baseUrl, approvedJob.id)).status).toBe('waiting')

    const sections = [...(after.outline?.sections ?? [])].reverse().slice(0, 3)
    const outline = { title: 'Approved after a restart', sections }
    const res = await putOutline(second.baseUrl, approvedJob.id, approvedJob.ownerToken, outline)
    expect(res.status).toBe(202)
    const events = await eventsOf(second.baseUrl, approvedJob.id, 15_000)
    expect(events.at(-1)?.type).toBe('job.completed')
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
    const done = await getJob(second.baseUrl, approvedJob.id)
    expect(done.article?.sections.map((s) => s.title)).toEqual(sections)
    expect(done.article?.title).toBe(outline.title)

    // The other one expires in this process, from the expiry its first process announced.
    const left = await eventsOf(second.baseUrl, leftJob.id, 15_000)
    expect(left.at(-1)).toMatchObject({ type: 'job.cancelled', reason: 'outline review expired' })
    expect(left.filter((e) => e.type === 'job.cancelled')).toHaveLength(1)
    expect(left.filter((e) => e.type === 'job.started')).toHaveLength(1)
  })
})
