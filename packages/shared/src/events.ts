import { z } from 'zod/mini'
import {
  ArticleSchema,
  count,
  JobErrorSchema,
  JobOptionsSchema,
  ordinal,
  ProgressSchema,
  StepSchema,
  TOPIC_MAX_LENGTH,
  UsageSchema,
} from './job.js'

/** Fields every progress event carries. `seq` is 1 for a job's first event, +1 for each next. */
const base = {
  jobId: z.string(),
  seq: ordinal(),
  ts: z.iso.datetime(),
  progress: ProgressSchema,
}

const event = <T extends string, S extends z.core.$ZodLooseShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...base, ...shape })

export const JobQueuedEventSchema = event('job.queued', {
  topic: z.string().check(z.maxLength(TOPIC_MAX_LENGTH)),
  options: JobOptionsSchema,
})
export const JobStartedEventSchema = event('job.started', { attempt: ordinal() })
export const StepStartedEventSchema = event('step.started', { step: StepSchema })
export const StepCompletedEventSchema = event('step.completed', { step: StepSchema })
export const OutlineReadyEventSchema = event('outline.ready', {
  title: z.string(),
  sections: z.array(z.string()),
})
/** The job stopped after its outline; it goes on after `PUT …/outline`, or ends at `expiresAt`. */
export const JobWaitingEventSchema = event('job.waiting', {
  for: z.literal('outline'),
  expiresAt: z.iso.datetime(),
})
/** The outline that will be written, as approved; `edited` when it differs from the proposal. */
export const OutlineApprovedEventSchema = event('outline.approved', {
  title: z.string(),
  sections: z.array(z.string()),
  edited: z.boolean(),
})
export const SectionStartedEventSchema = event('section.started', {
  index: count(),
  title: z.string(),
})
export const TokenEventSchema = event('token', {
  step: StepSchema,
  index: z.optional(count()),
  text: z.string(),
})
export const SectionCompletedEventSchema = event('section.completed', {
  index: count(),
  title: z.string(),
  content: z.string(),
})
export const JobRetryingEventSchema = event('job.retrying', {
  attempt: ordinal(),
  delayMs: count(),
  reason: z.string(),
})
export const JobCompletedEventSchema = event('job.completed', {
  article: ArticleSchema,
  usage: z.optional(UsageSchema),
})
export const JobFailedEventSchema = event('job.failed', { error: JobErrorSchema })
export const JobCancelledEventSchema = event('job.cancelled', { reason: z.optional(z.string()) })

/** Every event of a job's stream, one discriminated union on `type`. */
export const ProgressEventSchema = z.discriminatedUnion('type', [
  JobQueuedEventSchema,
  JobStartedEventSchema,
  StepStartedEventSchema,
  StepCompletedEventSchema,
  OutlineReadyEventSchema,
  JobWaitingEventSchema,
  OutlineApprovedEventSchema,
  SectionStartedEventSchema,
  TokenEventSchema,
  SectionCompletedEventSchema,
  JobRetryingEventSchema,
  JobCompletedEventSchema,
  JobFailedEventSchema,
  JobCancelledEventSchema,
])
export type ProgressEvent = z.infer<typeof ProgressEventSchema>
export type ProgressEventType = ProgressEvent['type']
export type EventOf<T extends ProgressEventType> = Extract<ProgressEvent, { type: T }>

/** Distributes Omit over the union so each member keeps its own fields. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** An event before the log has stamped it: the log assigns `seq`, the emitter `jobId` and `ts`. */
export type NewProgressEvent = DistributiveOmit<ProgressEvent, 'jobId' | 'seq' | 'ts'>

export const TERMINAL_EVENT_TYPES = [
  'job.completed',
  'job.failed',
  'job.cancelled',
] as const satisfies readonly ProgressEventType[]
export type TerminalEventType = (typeof TERMINAL_EVENT_TYPES)[number]

/** True for the events after which a job's stream ends. */
export const isTerminalEvent = (e: { type: string }): boolean =>
  (TERMINAL_EVENT_TYPES as readonly string[]).includes(e.type)
