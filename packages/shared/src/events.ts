import { z } from 'zod/mini'
import {
  ArticleSchema,
  count,
  JobErrorSchema,
  JobOptionsSchema,
  ordinal,
  ProgressSchema,
  RevisionOfSchema,
  StepSchema,
  UsageSchema,
} from './job.js'
import { TOPIC_MAX_LENGTH } from './limits.js'

/** Fields every progress event carries. `seq` is 1 for a job's first event, +1 for each next. */
const base = {
  jobId: z.string(),
  seq: ordinal(),
  ts: z.iso.datetime(),
  progress: ProgressSchema,
}

const event = <T extends string, S extends z.core.$ZodLooseShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...base, ...shape })

/** Every event of a job's stream, one discriminated union on `type`. */
export const ProgressEventSchema = z.discriminatedUnion('type', [
  event('job.queued', {
    topic: z.string().check(z.maxLength(TOPIC_MAX_LENGTH)),
    options: JobOptionsSchema,
    /** Set when the job is a revision (`POST /api/jobs/{id}/revisions`). */
    revisionOf: z.optional(RevisionOfSchema),
  }),
  event('job.started', { attempt: ordinal() }),
  event('step.started', { step: StepSchema }),
  event('step.completed', { step: StepSchema }),
  event('outline.ready', { title: z.string(), sections: z.array(z.string()) }),
  /** The job stopped after its outline; it goes on after `PUT …/outline`, or ends at `expiresAt`. */
  event('job.waiting', { for: z.literal('outline'), expiresAt: z.iso.datetime() }),
  /** The outline that will be written, as approved; `edited` when it differs from the proposal. */
  event('outline.approved', {
    title: z.string(),
    sections: z.array(z.string()),
    edited: z.boolean(),
  }),
  event('section.started', { index: count(), title: z.string() }),
  /** `index`: the section written, or for `revise` the section being rewritten; none for `style`. */
  event('token', { step: StepSchema, index: z.optional(count()), text: z.string() }),
  event('section.completed', { index: count(), title: z.string(), content: z.string() }),
  event('job.retrying', { attempt: ordinal(), delayMs: count(), reason: z.string() }),
  event('job.completed', { article: ArticleSchema, usage: z.optional(UsageSchema) }),
  event('job.failed', { error: JobErrorSchema }),
  event('job.cancelled', { reason: z.optional(z.string()) }),
])
export type ProgressEvent = z.infer<typeof ProgressEventSchema>

/** Distributes Omit over the union so each member keeps its own fields. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** An event before the log has stamped it: the log assigns `seq`, the emitter `jobId` and `ts`. */
export type NewProgressEvent = DistributiveOmit<ProgressEvent, 'jobId' | 'seq' | 'ts'>

const TERMINAL_EVENT_TYPES = [
  'job.completed',
  'job.failed',
  'job.cancelled',
] as const satisfies readonly ProgressEvent['type'][]

/** True for the events after which a job's stream ends. */
export const isTerminalEvent = (e: { type: string }): boolean =>
  (TERMINAL_EVENT_TYPES as readonly string[]).includes(e.type)
