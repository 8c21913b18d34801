import { DEFAULT_JOB_OPTIONS } from '@inkflow/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  type CreateJobInput,
  IdempotencyConflictError,
  InvalidCursorError,
  JobFencedError,
  JobNotFoundError,
  type JobStore,
} from '../../src/jobs/job-store.js'

let counter = 0
const newId = () => `job-${Date.now().toString(36)}-${(counter++).toString(36)}`
const at = (ms: number) => new Date(Date.UTC(2026, 10, 20, 10, 0, 0, ms)).toISOString()
/** A new job: a fresh id, the topic 'tea', created at `at(0)`; `fields` override. */
const draft = (fields: Partial<CreateJobInput> = {}): CreateJobInput => ({
  id: newId(),
  topic: 'tea',
  createdAt: at(0),
  ...fields,
})
/** A create under idempotency `key` with body fingerprint `f<body>`, handing out `token-<n>`. */
const keyed = (key: string, n: number, ms: number, body = 1) =>
  draft({
    createdAt: at(ms),
    ownerTokenHash: `hash-${n}`,
    idempotency: { key, fingerprint: `f${body}`, ownerToken: `token-${n}` },
  })
const newKey = () => `key-${newId()}`
const ids = (jobs: { id: string }[]) => jobs.map((j) => j.id)

/**
 * The behaviour every `JobStore` adapter must show. Each adapter's test file calls this with
 * a factory that returns a fresh, empty store.
 */
export function describeJobStoreContract(name: string, open: () => Promise<JobStore>) {
  describe(`JobStore contract: ${name}`, () => {
    let store: JobStore
    beforeEach(async () => {
      store = await open()
    })
    afterEach(async () => {
      await store.close()
    })

    it('creates a queued job and reads it back', async () => {
      const id = newId()
      const { job, created } = await store.create(draft({ id }))
      expect(created).toBe(true)
      expect(job).toMatchObject({
        id,
        topic: 'tea',
        status: 'queued',
        progress: 0,
        step: null,
        attempt: 0,
        createdAt: at(0),
      })
      expect(await store.get(id)).toEqual(job)
    })

    it('returns undefined for an unknown id', async () => {
      expect(await store.get('no-such-job')).toBeUndefined()
    })

    it('updates fields, keeps the rest and moves updatedAt', async () => {
      const id = newId()
      await store.create(draft({ id }))
      const checkpoint = JSON.stringify({ nested: { sections: [{ title: 'a', content: 'b' }] } })
      const updated = await store.update(id, {
        status: 'running',
        progress: 42,
        step: 'content',
        attempt: 1,
        checkpoint,
      })
      expect(updated).toMatchObject({
        status: 'running',
        progress: 42,
        step: 'content',
        attempt: 1,
        topic: 'tea',
        checkpoint,
      })
      expect(updated.updatedAt >= at(0)).toBe(true)
      const finished = await store.update(id, {
        status: 'completed',
        article: {
          title: 'T',
          sections: [{ title: 'a', content: 'b' }],
          markdown: '# T',
          language: 'en',
        },
        usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3, estimated: false },
      })
      expect(finished.article?.title).toBe('T')
      expect(await store.get(id)).toEqual(finished)
    })

    it('keeps a checkpoint across other updates and drops it when patched to undefined', async () => {
      const id = newId()
      await store.create(draft({ id }))
      const checkpoint = JSON.stringify({ sections: [{ title: 'a', content: 'b'.repeat(5000) }] })
      await store.update(id, { checkpoint, progress: 40 })
      await store.update(id, { step: 'style', progress: 80 })
      expect(await store.get(id)).toMatchObject({ checkpoint, step: 'style', progress: 80 })
      const done = await store.update(id, { status: 'completed', checkpoint: undefined })
      expect(done.checkpoint).toBeUndefined()
      expect((await store.get(id))?.checkpoint).toBeUndefined()
      expect((await store.get(id))?.status).toBe('completed')
    })

    it('records a failure', async () => {
      const id = newId()
      await store.create(draft({ id }))
      await store.update(id, {
        status: 'failed',
        error: { code: 'llm_unavailable', message: 'down', retryable: true },
      })
      expect((await store.get(id))?.error).toEqual({
        code: 'llm_unavailable',
        message: 'down',
        retryable: true,
      })
    })

    it('throws JobNotFoundError when updating an unknown job', async () => {
      await expect(store.update('no-such-job', { progress: 1 })).rejects.toBeInstanceOf(
        JobNotFoundError,
      )
    })

    it('does not let a caller mutate the stored job through a returned object', async () => {
      const id = newId()
      const { job } = await store.create(draft({ id }))
      job.topic = 'changed'
      expect((await store.get(id))?.topic).toBe('tea')
    })

    it('returns the same job for the same idempotency key and fingerprint', async () => {
      const key = newKey()
      const first = await store.create(keyed(key, 1, 0))
      const again = await store.create(keyed(key, 1, 1))
      expect(again.created).toBe(false)
      expect(again.job.id).toBe(first.job.id)
    })

    it('refuses the same idempotency key with another fingerprint', async () => {
      const key = newKey()
      await store.create(keyed(key, 1, 0))
      await expect(
        store.create({ ...keyed(key, 2, 1, 2), topic: 'coffee' }),
      ).rejects.toBeInstanceOf(IdempotencyConflictError)
    })

    it('lists newest first and pages with a cursor until the end', async () => {
      const made: string[] = []
      for (let i = 0; i < 5; i++) {
        made.push((await store.create(draft({ topic: `t${i}`, createdAt: at(i * 10) }))).job.id)
      }
      const first = await store.list({ limit: 2 })
      expect(ids(first.items)).toEqual([made[4], made[3]])
      expect(first.nextCursor).toEqual(expect.any(String))
      const second = await store.list({ limit: 2, cursor: first.nextCursor! })
      expect(ids(second.items)).toEqual([made[2], made[1]])
      const third = await store.list({ limit: 2, cursor: second.nextCursor! })
      expect(ids(third.items)).toEqual([made[0]])
      expect(third.nextCursor).toBeNull()
    })

    it('orders jobs created in the same millisecond by id, without skipping any across pages', async () => {
      const made = [newId(), newId(), newId()]
      for (const id of made) await store.create(draft({ id, createdAt: at(500) }))
      const seen: string[] = []
      let cursor: string | undefined
      do {
        const page = await store.list({ limit: 1, cursor })
        seen.push(...ids(page.items))
        cursor = page.nextCursor ?? undefined
      } while (cursor)
      expect(seen).toEqual([...made].sort().reverse())
    })

    it('rejects a cursor it did not make', async () => {
      await expect(store.list({ limit: 2, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(
        InvalidCursorError,
      )
    })

    it('lists unfinished jobs oldest first', async () => {
      const [a, b, c, d] = [newId(), newId(), newId(), newId()]
      for (const [id, ms] of [
        [b, 20],
        [a, 10],
        [c, 30],
        [d, 40],
      ] as const) {
        await store.create(draft({ id, createdAt: at(ms) }))
      }
      await store.update(b, { status: 'running' })
      await store.update(c, { status: 'completed' })
      await store.update(d, { status: 'cancelled' })
      expect(ids(await store.listUnfinished())).toEqual([a, b])
    })

    it('removes finished jobs updated before the cutoff, with their keys, never unfinished ones', async () => {
      const [queued, running, done, failed] = [newId(), newId(), newId(), newId()]
      const key = newKey()
      await store.create(draft({ id: queued }))
      await store.create(draft({ id: running, createdAt: at(1) }))
      await store.create({ ...keyed(key, 1, 2), id: done })
      await store.create(draft({ id: failed, createdAt: at(3) }))
      await store.update(running, { status: 'running' })
      await store.update(done, { status: 'completed' })
      await store.update(failed, { status: 'failed' })
      expect(await store.removeFinished('2000-01-01T00:00:00.000Z', 10)).toEqual([])

      const future = new Date(Date.now() + 60_000).toISOString()
      expect((await store.removeFinished(future, 1)).length).toBe(1)
      expect((await store.removeFinished(future, 10)).length).toBe(1)
      expect(await store.get(done)).toBeUndefined()
      expect(await store.get(failed)).toBeUndefined()
      expect(ids((await store.list({ limit: 10 })).items)).toEqual([running, queued])
      expect(ids(await store.listUnfinished())).toEqual([queued, running])
      // The removed job's key is free again: another body makes a new job, no conflict.
      expect((await store.create(keyed(key, 2, 4, 2))).created).toBe(true)
    })

    it('forgets idempotency keys first used before the cutoff, keeping their jobs', async () => {
      const [old, recent] = [newKey(), newKey()]
      const first = await store.create(keyed(old, 1, 0))
      await store.create(keyed(recent, 1, 100))
      expect(await store.expireIdempotencyKeys(at(50))).toBe(1)
      expect(await store.get(first.job.id)).toBeDefined()
      expect((await store.create(keyed(old, 1, 200))).created).toBe(true)
      expect((await store.create(keyed(recent, 1, 201))).created).toBe(false)
    })

    it('lists unfinished jobs of the same millisecond in the order they were created', async () => {
      const made = ['job-z', 'job-m', 'job-a'].map((p) => `${p}-${newId()}`)
      for (const id of made) await store.create(draft({ id, createdAt: at(700) }))
      expect(ids(await store.listUnfinished())).toEqual(made)
    })

    it('keeps the owner token hash with the job, through updates, and never the plain token', async () => {
      const id = newId()
      const { job } = await store.create(
        draft({
          id,
          ownerTokenHash: 'hash-of-the-token',
          idempotency: { key: `key-${id}`, fingerprint: 'f1', ownerToken: 'the-plain-token' },
        }),
      )
      expect(job.ownerTokenHash).toBe('hash-of-the-token')
      await store.update(id, { status: 'running', progress: 40, checkpoint: '{"a":1}' })
      await store.update(id, { status: 'completed', checkpoint: undefined })
      const stored = await store.get(id)
      expect(stored?.ownerTokenHash).toBe('hash-of-the-token')
      expect(JSON.stringify(stored)).not.toContain('the-plain-token')
      const listed = (await store.list({ limit: 10 })).items.find((j) => j.id === id)
      expect(JSON.stringify(listed)).not.toContain('the-plain-token')
      expect(ids(await store.listUnfinished())).not.toContain(id)
    })

    it('creates a job without an owner when given no hash', async () => {
      const id = newId()
      await store.create(draft({ id }))
      expect((await store.get(id))?.ownerTokenHash).toBeUndefined()
    })

    it('hands a replay the owner token the key was first used with, not its own', async () => {
      const key = newKey()
      const first = await store.create(keyed(key, 1, 0))
      const again = await store.create(keyed(key, 2, 1))
      expect(again).toMatchObject({ created: false, ownerToken: 'token-1' })
      expect(again.job).toEqual(first.job)
      expect((await store.get(first.job.id))?.ownerTokenHash).toBe('hash-1')
    })

    it('forgets the plain owner token with its key, keeping the job and its hash', async () => {
      const key = newKey()
      const first = await store.create(keyed(key, 1, 0))
      expect(await store.expireIdempotencyKeys(at(50))).toBe(1)
      expect((await store.get(first.job.id))?.ownerTokenHash).toBe('hash-1')
      const fresh = await store.create(keyed(key, 2, 100))
      expect(fresh.created).toBe(true)
      const replay = await store.create(keyed(key, 3, 101))
      expect(replay).toMatchObject({
        created: false,
        ownerToken: 'token-2',
        job: { id: fresh.job.id },
      })
    })

    it('keeps the options a job was created with, and gives the defaults to one without', async () => {
      const options = {
        tone: 'playful',
        length: 'long',
        audience: 'nurses',
        language: 'fr',
        reviewOutline: true,
      } as const
      const id = newId()
      const { job } = await store.create(draft({ id, options }))
      expect(job.options).toEqual(options)
      await store.update(id, { status: 'running', attempt: 1 })
      expect((await store.get(id))?.options).toEqual(options)
      const plain = newId()
      await store.create(draft({ id: plain }))
      expect((await store.get(plain))?.options).toEqual(DEFAULT_JOB_OPTIONS)
    })

    it('keeps a waiting job out of the unfinished list and in the waiting one, with its outline', async () => {
      const id = newId()
      const other = newId()
      await store.create(draft({ id }))
      await store.create(draft({ id: other, createdAt: at(1) }))
      const outline = { title: 'Tea', sections: ['a', 'b', 'c'] }
      const expiresAt = at(5000)
      await store.update(id, { status: 'running', attempt: 1 })
      await store.update(
        id,
        { status: 'waiting', progress: 30, outline, reviewExpiresAt: expiresAt },
        { attempt: 1 },
      )
      expect(ids(await store.listUnfinished())).toEqual([other])
      const waiting = await store.listWaiting()
      expect(ids(waiting)).toEqual([id])
      expect(await store.countWaiting()).toBe(1)
      expect(waiting[0]).toMatchObject({ status: 'waiting', outline, reviewExpiresAt: expiresAt })
      // Approved: queued again, unfinished again, no longer waiting.
      await store.update(
        id,
        { status: 'queued', reviewExpiresAt: undefined },
        { status: 'waiting' },
      )
      expect(ids(await store.listUnfinished())).toEqual([id, other])
      expect(await store.listWaiting()).toEqual([])
      expect(await store.countWaiting()).toBe(0)
      expect((await store.get(id))?.reviewExpiresAt).toBeUndefined()
    })

    it('fences an update by status: of racing moves off waiting exactly one wins', async () => {
      const id = newId()
      await store.create(draft({ id }))
      await store.update(id, { status: 'waiting', attempt: 1 })
      const tries = await Promise.allSettled(
        Array.from({ length: 5 }, (_, i) =>
          store.update(id, { status: 'queued', progress: 30 + i }, { status: 'waiting' }),
        ),
      )
      const won = tries.filter((t) => t.status === 'fulfilled')
      expect(won).toHaveLength(1)
      for (const t of tries) {
        if (t.status === 'rejected') expect(t.reason).toBeInstanceOf(JobFencedError)
      }
      const job = await store.get(id)
      expect(job?.status).toBe('queued')
      expect(job?.progress).toBe(won[0]?.status === 'fulfilled' ? won[0].value.progress : -1)
      // A status fence and an attempt fence together: both must hold.
      await expect(
        store.update(id, { progress: 99 }, { status: 'queued', attempt: 2 }),
      ).rejects.toBeInstanceOf(JobFencedError)
      expect((await store.get(id))?.progress).toBe(job?.progress)
    })

    it('keeps a revision job’s revisionOf, base article and outline, through updates and lists', async () => {
      const id = newId()
      const base = {
        title: 'Tea',
        sections: [
          { title: 'a', content: 'first' },
          { title: 'b', content: 'second' },
        ],
        markdown: '# Tea\n\nIntro.\n\n## a\n\nfirst\n\n## b\n\nsecond',
        language: 'fr',
      }
      const outline = { title: 'Tea', sections: ['a', 'b'] }
      const of = { jobId: 'the-original', section: 1, instruction: 'shorter, with an example' }
      const options = { ...DEFAULT_JOB_OPTIONS, language: 'fr' }
      const { job } = await store.create({
        id,
        topic: 'tea',
        options,
        createdAt: at(0),
        revision: { of, base, outline },
      })
      const expected = { revisionOf: of, revisionBase: base, outline, options, status: 'queued' }
      expect(job).toMatchObject(expected)
      expect(await store.get(id)).toMatchObject(expected)
      expect((await store.listUnfinished()).find((j) => j.id === id)).toMatchObject(expected)
      await store.update(id, { status: 'running', attempt: 1, step: 'revise', progress: 40 })
      const article = { ...base, sections: [base.sections[0]!, { title: 'b', content: 'new' }] }
      await store.update(id, { status: 'completed', progress: 100, article }, { attempt: 1 })
      const done = await store.get(id)
      expect(done).toMatchObject({ ...expected, status: 'completed', step: 'revise', article })
      expect((await store.list({ limit: 10 })).items.find((j) => j.id === id)).toMatchObject({
        revisionOf: of,
      })
      // A job that is no revision has none of it.
      const plain = newId()
      const { job: other } = await store.create({ id: plain, topic: 'tea', createdAt: at(1) })
      expect(other.revisionOf).toBeUndefined()
      expect((await store.get(plain))?.revisionBase).toBeUndefined()
    })

    it('answers ping while open', async () => {
      await expect(store.ping()).resolves.toBeUndefined()
    })
  })
}
