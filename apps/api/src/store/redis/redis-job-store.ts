import { ArticleSchema, JobSchema } from '@inkflow/shared'
import type { Redis } from 'ioredis'
import { z } from 'zod/mini'
import type { UnsequencedEvent } from '../../events/event-log.js'
import {
  type CreateJobInput,
  type CreateJobResult,
  decodeCursor,
  encodeCursor,
  IdempotencyConflictError,
  JobFencedError,
  JobNotFoundError,
  type JobPage,
  type JobPatch,
  type JobRecord,
  type JobStore,
  newJobRecord,
  withDefaultOptions,
} from '../../jobs/job-store.js'
import {
  claimLegacyKeyScript,
  createJobScript,
  expireIdempotencyScript,
  removeFinishedScript,
  UPDATE_FENCED,
  updateJobScript,
} from './job-scripts.js'
import type { RedisKeys } from './redis-keys.js'

// A hash written before jobs had options reads as one with the defaults.
const JobRecordSchema = z.extend(JobSchema, {
  options: z.optional(JobSchema.shape.options),
  reviewExpiresAt: z.optional(z.string()),
  attempt: z.number().check(z.int(), z.nonnegative()),
  checkpoint: z.optional(z.string()),
  ownerTokenHash: z.optional(z.string()),
  revisionBase: z.optional(ArticleSchema),
})
const HashSchema = z.record(z.string(), z.string())
const StringsSchema = z.array(z.string())
const IdempotencySeenSchema = z.tuple([z.string(), z.string(), z.nullable(z.string())])
const ClaimedSchema = z.nullable(z.string())
const CountSchema = z.number()

/**
 * The checkpoint is JSON already (`JobRecord.checkpoint`): its field holds that text as it
 * is, which is also how a checkpoint saved as an object before reads back.
 */
const RAW_FIELD = 'checkpoint'

/** `field, json, field, json …` for every defined property. */
function encodeFields(values: object): string[] {
  return Object.entries(values).flatMap(([k, v]) =>
    v === undefined ? [] : [k, k === RAW_FIELD ? (v as string) : JSON.stringify(v)],
  )
}

/**
 * A patch as the job scripts take it (`JOB_PATCH_LUA`): deleteCount, fields to delete …,
 * field, json … with `updatedAt` set now. A key present with the value undefined clears the
 * field, as in the memory store.
 */
export function encodePatch(patch: JobPatch): (string | number)[] {
  const deletes = Object.entries(patch)
    .filter(([, v]) => v === undefined)
    .map(([k]) => k)
  const sets = encodeFields({ ...patch, updatedAt: new Date().toISOString() })
  return [deletes.length, ...deletes, ...sets]
}

/** A job hash back to a record; `_` fields are the store's bookkeeping, not the job's. */
export function decodeRecord(hash: Record<string, string>): JobRecord | undefined {
  const entries = Object.entries(hash).filter(([k]) => !k.startsWith('_'))
  if (entries.length === 0) return undefined
  const fields = Object.fromEntries(
    entries.map(([k, v]) => [k, k === RAW_FIELD ? v : JSON.parse(v)]),
  )
  return withDefaultOptions(JobRecordSchema.parse(fields) as JobRecord)
}

function fromFlat(flat: string[]): Record<string, string> {
  const hash: Record<string, string> = {}
  for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i]!] = flat[i + 1]!
  return hash
}

const idOf = (member: string) => member.slice(member.lastIndexOf('|') + 1)

/**
 * `JobStore` on Redis. Each job is a hash of JSON fields, so an update writes only the fields
 * it changes; every multi-key change is one Lua script, so indexes never disagree with jobs.
 * The list is a sorted set of `createdAt|id` ordered by member, which pages exactly like the
 * memory store. The connection is shared: `close` leaves it open.
 */
/** The Redis job store, with the create its `FinishStore` makes one script with the first append. */
export interface RedisJobStore extends JobStore {
  /** `create`, appending `event` as the job's first (seq 1) in the same script. */
  createWithEvent(input: CreateJobInput, event: UnsequencedEvent): Promise<CreateJobResult>
}

export function createRedisJobStore(redis: Redis, keys: RedisKeys): RedisJobStore {
  const get = async (id: string) => decodeRecord(await redis.hgetall(keys.job(id)))
  const getMany = async (ids: string[]): Promise<JobRecord[]> => {
    if (ids.length === 0) return []
    const pipeline = redis.pipeline()
    for (const id of ids) pipeline.hgetall(keys.job(id))
    const replies = (await pipeline.exec()) ?? []
    return replies.flatMap(([err, hash]) => {
      if (err) throw err
      const job = decodeRecord(HashSchema.parse(hash))
      return job ? [job] : [] // removed since the index was read
    })
  }

  const createJob = async (
    input: CreateJobInput,
    event?: UnsequencedEvent,
  ): Promise<CreateJobResult> => {
    const job = newJobRecord(input)
    const idem = input.idempotency
    const seen = await createJobScript(
      redis,
      [
        keys.job(job.id),
        keys.jobsByCreated,
        keys.jobsUnfinished,
        keys.idempotency(idem?.key ?? ''),
        keys.idempotencyByUse,
        keys.jobsCreated,
        keys.events(job.id),
        keys.eventsMeta(job.id),
      ],
      [
        idem ? '1' : '0',
        idem?.fingerprint ?? '',
        job.id,
        job.createdAt,
        idem?.ownerToken ?? '',
        event ? JSON.stringify(event) : '',
        ...encodeFields(job),
      ],
    )
    if (seen === null || !idem) return { job, created: true }
    const [fingerprint, jobId, kept] = IdempotencySeenSchema.parse(seen)
    if (fingerprint !== idem.fingerprint) throw new IdempotencyConflictError(idem.key)
    // A key from before owner tokens: this replay's token becomes the job's.
    const ownerToken =
      kept ??
      ClaimedSchema.parse(
        await claimLegacyKeyScript(
          redis,
          [keys.idempotency(idem.key), keys.job(jobId)],
          [
            idem.ownerToken,
            input.ownerTokenHash === undefined ? '' : JSON.stringify(input.ownerTokenHash),
          ],
        ),
      )
    const first = ownerToken === null ? undefined : await get(jobId)
    if (!first || ownerToken === null) throw new JobNotFoundError(jobId)
    return { job: first, created: false, ownerToken }
  }

  return {
    get,

    create: (input) => createJob(input),
    createWithEvent: createJob,

    async list({ limit, cursor }): Promise<JobPage> {
      const after = cursor === undefined ? undefined : decodeCursor(cursor)
      const from = after ? `(${after.createdAt}|${after.id}` : '+'
      const members = await redis.zrevrangebylex(
        keys.jobsByCreated,
        from,
        '-',
        'LIMIT',
        0,
        limit + 1,
      )
      const items = await getMany(members.slice(0, limit).map(idOf))
      const last = items.at(-1)
      return { items, nextCursor: members.length > limit && last ? encodeCursor(last) : null }
    },

    async listUnfinished() {
      return getMany((await redis.zrangebylex(keys.jobsUnfinished, '-', '+')).map(idOf))
    },

    async listWaiting() {
      return getMany(await redis.smembers(keys.jobsWaiting))
    },

    async countWaiting() {
      return redis.scard(keys.jobsWaiting)
    },

    async update(id, patch, options = {}) {
      const { attempt, status } = options
      let reply: unknown
      try {
        reply = await updateJobScript(
          redis,
          [keys.job(id), keys.jobsUnfinished, keys.jobsFinished, keys.jobsWaiting],
          [id, attempt ?? '', status ?? '', ...encodePatch(patch)],
        )
      } catch (err) {
        const fence = attempt !== undefined || status !== undefined
        if (err instanceof Error && err.message.includes(UPDATE_FENCED) && fence) {
          throw new JobFencedError(id, attempt ?? 0)
        }
        throw err
      }
      const job = reply === 0 ? undefined : decodeRecord(fromFlat(StringsSchema.parse(reply)))
      if (!job) throw new JobNotFoundError(id)
      return job
    },

    async removeFinished(updatedBefore, limit) {
      const reply = await removeFinishedScript(
        redis,
        [keys.jobsByCreated, keys.jobsUnfinished, keys.jobsFinished, keys.idempotencyByUse],
        [keys.job(''), updatedBefore, limit],
      )
      return StringsSchema.parse(reply)
    },

    async expireIdempotencyKeys(usedBefore) {
      const reply = await expireIdempotencyScript(redis, [keys.idempotencyByUse], [usedBefore])
      return CountSchema.parse(reply)
    },

    async ping() {
      // A write, not PING: a Redis out of memory, read-only or paused for writes still pongs.
      await redis.set(keys.probe, new Date().toISOString(), 'PX', 60_000)
    },

    async close() {},
  }
}
