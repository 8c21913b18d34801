import { JobAcceptedSchema } from '@inkflow/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getJob, jobWhen, postJob, putOutline } from '../helpers/job-client.js'
import { readStream } from '../helpers/sse-reader.js'
import { redisForTests } from '../store/redis-test-support.js'
import { type Cluster, startCluster } from './cluster.js'

const up = await redisForTests('the Redis outline review tests (2 APIs + 2 workers)')

describe.skipIf(!up)('outline review across 2 API instances and 2 workers on one Redis', () => {
  let cluster: Cluster
  beforeAll(async () => {
    cluster = await startCluster({
      tokenDelayMs: 1,
      stallIntervalMs: 1500,
      env: { REVIEW_TIMEOUT: '5s', MAX_CONCURRENT_JOBS: '1' },
    })
  }, 30_000)
  afterAll(async () => {
    await cluster?.stop()
  })

  /** Posts a review job to `api` and waits, reading through the other instance, until it waits. */
  const waitingOn = async (api: string, other: string, topic: string) => {
    const created = await postJob(api, { topic, reviewOutline: true })
    return { ...created, job: await jobWhen(other, created.id, (j) => j.status === 'waiting') }
  }

  it('creates on instance A, approves on instance B, and a worker writes the approved outline', async () => {
    const [a, b] = cluster.apis
    const { id, ownerToken, job } = await waitingOn(a.url!, b.url!, 'lighthouses')
    const approved = { title: 'Lighthouses', sections: [...job.outline!.sections].reverse() }
    const res = await putOutline(b.url!, id, ownerToken, approved)
    expect(res.status).toBe(202)
    const events = (await readStream(`${a.url}/api/jobs/${id}/events`)).events
    expect(events.at(-1)?.type).toBe('job.completed')
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
    const approvedEvents = events.filter((e) => e.type === 'outline.approved')
    expect(approvedEvents).toHaveLength(1)
    expect(approvedEvents[0]).toMatchObject({ ...approved, edited: true })
    const done = await getJob(a.url!, id)
    expect(done.article?.sections.map((s) => s.title)).toEqual(approved.sections)
  }, 60_000)

  it('lets one of two approvals racing on two instances win', async () => {
    const [a, b] = cluster.apis
    const { id, ownerToken, job } = await waitingOn(b.url!, a.url!, 'canals')
    const answers = await Promise.all([
      putOutline(a.url!, id, ownerToken, job.outline),
      putOutline(b.url!, id, ownerToken, { ...job.outline, title: 'Other' }),
    ])
    expect(answers.map((r) => r.status).sort()).toEqual([202, 409])
    const events = (await readStream(`${b.url}/api/jobs/${id}/events`)).events
    expect(events.at(-1)?.type).toBe('job.completed')
    expect(events.filter((e) => e.type === 'outline.approved')).toHaveLength(1)
  }, 60_000)

  it('cancels a waiting job from the other instance', async () => {
    const [a, b] = cluster.apis
    const { id, ownerToken } = await waitingOn(a.url!, b.url!, 'ferries')
    const res = await fetch(`${b.url}/api/jobs/${id}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ownerToken}` },
    })
    expect(res.status).toBe(202)
    expect(JobAcceptedSchema.parse(await res.json()).status).toBe('cancelled')
    const events = (await readStream(`${a.url}/api/jobs/${id}/events`)).events
    expect(events.at(-1)).toMatchObject({ type: 'job.cancelled', reason: 'cancelled by request' })
    expect(events.filter((e) => e.type === 'job.cancelled')).toHaveLength(1)
  }, 60_000)

  it('expires a job left waiting once, though four processes sweep', async () => {
    const [a, b] = cluster.apis
    const { id } = await waitingOn(a.url!, b.url!, 'quiet harbours')
    const events = (await readStream(`${b.url}/api/jobs/${id}/events`)).events
    expect(events.at(-1)).toMatchObject({ type: 'job.cancelled', reason: 'outline review expired' })
    expect(events.filter((e) => e.type === 'job.cancelled')).toHaveLength(1)
    expect((await getJob(a.url!, id)).status).toBe('cancelled')
  }, 60_000)
})
