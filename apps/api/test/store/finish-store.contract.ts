import type { ProgressEvent } from '@inkflow/shared'
import { DEFAULT_JOB_OPTIONS } from '@inkflow/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  type EventLog,
  EventLogClosedError,
  EventLogFencedError,
  EventLogSeqError,
  type UnsequencedEvent,
} from '../../src/events/event-log.js'
import type { FinishStore } from '../../src/jobs/finish-store.js'
import {
  JobFencedError,
  JobNotFoundError,
  type JobPatch,
  type JobStore,
} from '../../src/jobs/job-store.js'
import {
  testArticle as article,
  cancelledEvent as cancelled,
  completedEvent as completed,
  queuedEvent as queued,
  tokenEvent as token,
  eventTs as ts,
} from '../helpers/log-events.js'
import { waitUntil } from '../helpers/test-server.js'

/** The three ports of one storage, on the same data. */
export interface FinishingStorage {
  jobs: JobStore
  events: EventLog
  finishes: FinishStore
  close(): Promise<void>
}

let counter = 0
const newId = () => `finish-${Date.now().toString(36)}-${(counter++).toString(36)}`
const done: JobPatch = { status: 'completed', progress: 100, article, checkpoint: undefined }

/**
 * The behaviour every `FinishStore` adapter must show (`jobs/finish-store.ts`), and the
 * attempt fence of `JobStore.update` it shares. Each adapter's test calls this with a
 * factory that returns a fresh storage.
 */
export function describeFinishStoreContract(name: string, open: () => Promise<FinishingStorage>) {
  describe(`FinishStore contract: ${name}`, () => {
    let storage: FinishingStorage
    beforeEach(async () => {
      storage = await open()
    })
    afterEach(async () => {
      await storage.close()
    })

    /** A queued job with its `job.queued` in the log (seq 1). */
    async function queuedJob() {
      const id = newId()
      await storage.jobs.create({ id, topic: 'tea', createdAt: ts })
      await storage.events.append(queued(id))
      return id
    }

    /** A job running its `attempt`, with `events` tokens in its log (seq 1…n). */
    async function runningJob(attempt = 1, events = 2) {
      const id = newId()
      await storage.jobs.create({ id, topic: 'tea', createdAt: new Date().toISOString() })
      await storage.jobs.update(id, {
        status: 'running',
        attempt,
        step: 'content',
        checkpoint: '{"sections":1}',
      })
      for (let i = 0; i < events; i++) await storage.events.append(token(id, `t${i}`))
      return id
    }

    /** The job and its log, to compare before and after a refused finish. */
    const snapshot = async (id: string) => ({
      job: await storage.jobs.get(id),
      events: await storage.events.read(id, 0),
    })

    it('updates the job and appends its terminal event, at the next seq', async () => {
      const id = await runningJob()
      const stored = await storage.finishes.finish(completed(id), done, { attempt: 1, seq: 3 })
      expect(stored).toEqual({ ...completed(id), seq: 3 })
      expect((await storage.events.read(id, 0)).map((e) => [e.seq, e.type])).toEqual([
        [1, 'token'],
        [2, 'token'],
        [3, 'job.completed'],
      ])
      const job = await storage.jobs.get(id)
      expect(job).toMatchObject({ status: 'completed', progress: 100, article, attempt: 1 })
      expect(job?.checkpoint).toBeUndefined()
      expect(job && job.updatedAt >= job.createdAt).toBe(true)
      // It left the unfinished jobs (recovery) and the log is closed.
      expect((await storage.jobs.listUnfinished()).map((j) => j.id)).not.toContain(id)
      await expect(storage.events.append(token(id, 'late'))).rejects.toBeInstanceOf(
        EventLogClosedError,
      )
    })

    it('takes any seq and no fence when given none (a job that never ran)', async () => {
      const id = await queuedJob()
      const stored = await storage.finishes.finish(cancelled(id), {
        status: 'cancelled',
        progress: 0,
      })
      expect(stored.seq).toBe(2)
      expect(await storage.jobs.get(id)).toMatchObject({ status: 'cancelled', attempt: 0 })
    })

    it('lets a subscriber that hears the end read the job finished', async () => {
      const id = await runningJob()
      const heard: { event: ProgressEvent; status: Promise<string | undefined> }[] = []
      const stop = storage.events.subscribe(id, (event) => {
        // Events from before the subscription may come too (not in the log's contract).
        if (event.type !== 'job.completed') return
        heard.push({ event, status: storage.jobs.get(id).then((j) => j?.status) })
      })
      try {
        await storage.finishes.finish(completed(id), done, { attempt: 1, seq: 3 })
        await waitUntil(() => heard.length >= 1)
        expect(heard.map((h) => h.event.type)).toEqual(['job.completed'])
        expect(await heard[0]!.status).toBe('completed')
      } finally {
        stop()
      }
    })

    it('creates a revision job with its job.queued naming what it revises', async () => {
      const id = newId()
      const createdAt = new Date().toISOString()
      const of = { jobId: 'the-original', section: 0, instruction: 'shorter' }
      const revision = { of, base: article, outline: { title: 'T', sections: ['S'] } }
      const input = { id, topic: 'tea', createdAt, options: DEFAULT_JOB_OPTIONS, revision }
      const event = { ...queued(id), revisionOf: of } as UnsequencedEvent
      const { job } = await storage.finishes.create(input, event)
      expect(job).toMatchObject({
        revisionOf: of,
        revisionBase: article,
        outline: revision.outline,
      })
      expect(await storage.events.read(id, 0)).toEqual([{ ...event, seq: 1 }])
      expect(await storage.jobs.get(id)).toMatchObject({ revisionOf: of, revisionBase: article })
    })

    it('creates a job with its first event, and a repeat of its idempotency key with none', async () => {
      const id = newId()
      const createdAt = new Date().toISOString()
      const idempotency = { key: `key-${id}`, fingerprint: 'f', ownerToken: 'owner' }
      const input = { id, topic: 'tea', createdAt, options: DEFAULT_JOB_OPTIONS, idempotency }
      const first = await storage.finishes.create(input, queued(id))
      expect(first).toMatchObject({ created: true, job: { id, status: 'queued' } })
      expect(await storage.events.read(id, 0)).toEqual([{ ...queued(id), seq: 1 }])
      expect((await storage.jobs.listUnfinished()).map((j) => j.id)).toContain(id)

      const other = newId()
      const again = await storage.finishes.create({ ...input, id: other }, queued(other))
      expect(again).toMatchObject({ created: false, ownerToken: 'owner', job: { id } })
      expect(await storage.jobs.get(other)).toBeUndefined()
      expect(await storage.events.read(other, 0)).toEqual([])
      expect(await storage.events.read(id, 0)).toHaveLength(1)
      // The log goes on from there.
      expect((await storage.events.append(token(id, 'next'))).seq).toBe(2)
    })

    it('parks a job: job.waiting and the waiting status together, the log left open', async () => {
      const id = await runningJob()
      const expiresAt = '2026-11-21T10:00:00.000Z'
      const waiting: UnsequencedEvent = {
        type: 'job.waiting',
        jobId: id,
        ts,
        progress: 30,
        for: 'outline',
        expiresAt,
      }
      const outline = { title: 'T', sections: ['a', 'b'] }
      const heard: Promise<string | undefined>[] = []
      const stop = storage.events.subscribe(id, (event) => {
        if (event.type === 'job.waiting') heard.push(storage.jobs.get(id).then((j) => j?.status))
      })
      try {
        const stored = await storage.finishes.finish(
          waiting,
          { status: 'waiting', progress: 30, outline, reviewExpiresAt: expiresAt },
          { attempt: 1, seq: 3 },
        )
        expect(stored).toEqual({ ...waiting, seq: 3 })
        await waitUntil(() => heard.length >= 1)
        expect(await heard[0]).toBe('waiting')
      } finally {
        stop()
      }
      expect(await storage.jobs.get(id)).toMatchObject({
        status: 'waiting',
        outline,
        reviewExpiresAt: expiresAt,
      })
      expect((await storage.jobs.listWaiting()).map((j) => j.id)).toContain(id)
      expect((await storage.jobs.listUnfinished()).map((j) => j.id)).not.toContain(id)
      // Not closed: an approval's event and the job's later ones still go in.
      expect((await storage.events.append(token(id, 'after'))).seq).toBe(4)
    })

    it('refuses an event that does not end a run, storing nothing', async () => {
      const id = await runningJob()
      const before = await snapshot(id)
      await expect(
        storage.finishes.finish(token(id, 'x'), done, { attempt: 1, seq: 3 }),
      ).rejects.toBeInstanceOf(TypeError)
      expect(await snapshot(id)).toEqual(before)
    })

    it('refuses a job whose log already ended, changing nothing', async () => {
      const id = await runningJob()
      await storage.finishes.finish(cancelled(id), { status: 'cancelled', progress: 40 })
      const before = await snapshot(id)
      await expect(storage.finishes.finish(completed(id), done)).rejects.toBeInstanceOf(
        EventLogClosedError,
      )
      expect(await snapshot(id)).toEqual(before)
      expect(before.job?.status).toBe('cancelled')
    })

    it('refuses another seq than the next, changing nothing (the update is undone too)', async () => {
      const id = await runningJob()
      const before = await snapshot(id)
      for (const seq of [2, 4]) {
        await expect(
          storage.finishes.finish(completed(id), done, { attempt: 1, seq }),
        ).rejects.toBeInstanceOf(EventLogSeqError)
      }
      expect(await snapshot(id)).toEqual(before)
      expect((await storage.finishes.finish(completed(id), done, { seq: 3 })).seq).toBe(3)
    })

    it('refuses a writer fenced out by a newer attempt, whatever else is wrong', async () => {
      const id = await runningJob(2)
      const before = await snapshot(id)
      for (const options of [{ attempt: 1 }, { attempt: 1, seq: 3 }, { attempt: 1, seq: 9 }]) {
        await expect(storage.finishes.finish(completed(id), done, options)).rejects.toBeInstanceOf(
          EventLogFencedError,
        )
      }
      expect(await snapshot(id)).toEqual(before)
      expect((await storage.finishes.finish(completed(id), done, { attempt: 2 })).seq).toBe(3)
    })

    it('refuses a fenced writer once the job has finished, before its closed log', async () => {
      const id = await runningJob(1)
      await storage.finishes.finish(cancelled(id), { status: 'cancelled', progress: 40 })
      await expect(
        storage.finishes.finish(completed(id), done, { attempt: 1 }),
      ).rejects.toBeInstanceOf(EventLogFencedError)
    })

    it('refuses an unknown job, appending nothing', async () => {
      const id = newId()
      await expect(storage.finishes.finish(completed(id), done)).rejects.toBeInstanceOf(
        JobNotFoundError,
      )
      expect(await storage.events.read(id, 0)).toEqual([])
      // Nothing closed the log either.
      expect((await storage.events.append(token(id, 'a'))).seq).toBe(1)
    })

    it('fences job updates by attempt: a stale writer or a finished job changes nothing', async () => {
      const id = await runningJob(1, 0)
      // The claim of the next attempt, fenced by the attempt found.
      await storage.jobs.update(id, { status: 'running', attempt: 2 }, { attempt: 1 })
      const before = await storage.jobs.get(id)
      await expect(
        storage.jobs.update(id, { progress: 77, checkpoint: '{"stale":true}' }, { attempt: 1 }),
      ).rejects.toBeInstanceOf(JobFencedError)
      await expect(
        storage.jobs.update(id, { status: 'running', attempt: 2 }, { attempt: 1 }),
      ).rejects.toBeInstanceOf(JobFencedError)
      expect(await storage.jobs.get(id)).toEqual(before)
      expect(await storage.jobs.update(id, { progress: 60 }, { attempt: 2 })).toMatchObject({
        progress: 60,
      })

      await storage.finishes.finish(completed(id), done, { attempt: 2 })
      const finished = await storage.jobs.get(id)
      await expect(
        storage.jobs.update(id, { progress: 10, checkpoint: '{"late":true}' }, { attempt: 2 }),
      ).rejects.toBeInstanceOf(JobFencedError)
      expect(await storage.jobs.get(id)).toEqual(finished)
      // Without a fence an update still goes through (the store itself, not a worker's run).
      expect(await storage.jobs.update(id, { progress: 100 })).toMatchObject({ progress: 100 })
      await expect(
        storage.jobs.update('no-such-job', { progress: 1 }, { attempt: 1 }),
      ).rejects.toBeInstanceOf(JobNotFoundError)
    })

    it('fences a finish by status: a job that moved off waiting is not ended', async () => {
      const id = await queuedJob()
      await storage.jobs.update(id, { status: 'waiting', attempt: 1, progress: 30 })
      await storage.jobs.update(id, { status: 'queued' }, { status: 'waiting' })
      const patch: JobPatch = { status: 'cancelled', progress: 30 }
      await expect(
        storage.finishes.finish(cancelled(id), patch, { status: 'waiting' }),
      ).rejects.toBeInstanceOf(EventLogFencedError)
      expect((await storage.jobs.get(id))?.status).toBe('queued')
      expect(await storage.events.read(id, 0, 10)).toHaveLength(1)
      // Waiting again: of racing finishes fenced by the status, exactly one ends the job.
      await storage.jobs.update(id, { status: 'waiting' })
      const tries = await Promise.allSettled(
        [0, 1, 2].map(() => storage.finishes.finish(cancelled(id), patch, { status: 'waiting' })),
      )
      expect(tries.filter((t) => t.status === 'fulfilled')).toHaveLength(1)
      expect((await storage.jobs.get(id))?.status).toBe('cancelled')
      const types = (await storage.events.read(id, 0, 10)).map((e) => e.type)
      expect(types).toEqual(['job.queued', 'job.cancelled'])
      expect(await storage.jobs.listWaiting()).toEqual([])
    })

    it('ends each of many jobs finished at once exactly once', async () => {
      const ids = await Promise.all(Array.from({ length: 20 }, () => runningJob(1, 1)))
      // Every job finished twice concurrently: one finish wins, the other finds the log closed.
      const results = await Promise.allSettled(
        ids.flatMap((id) => [
          storage.finishes.finish(completed(id), done, { attempt: 1, seq: 2 }),
          storage.finishes.finish(cancelled(id), { status: 'cancelled', progress: 40 }),
        ]),
      )
      for (const [i, id] of ids.entries()) {
        const pair = results.slice(2 * i, 2 * i + 2)
        expect(pair.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
        const events = await storage.events.read(id, 0)
        expect(events.map((e) => e.seq)).toEqual([1, 2])
        const status = (await storage.jobs.get(id))?.status
        expect(events[1]?.type).toBe(status === 'completed' ? 'job.completed' : 'job.cancelled')
      }
    })
  })
}
