import { z } from 'zod/mini'
import { TOPIC_MAX_LENGTH } from '../limits.js'
import {
  ArticleSchema,
  JobErrorSchema,
  JobOptionsSchema,
  ProgressSchema,
  RevisionOfSchema,
  StepSchema,
  UsageSchema,
} from './job.js'

/* The browser's twins of `../events.ts` (see `./job.ts` for why). */

const index = () => z.number().check(z.int(), z.nonnegative())

const base = {
  jobId: z.string(),
  seq: z.number().check(z.int(), z.positive()),
  ts: z.iso.datetime(),
  progress: ProgressSchema,
}

const event = <T extends string, S extends z.core.$ZodLooseShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...base, ...shape })

export const JobQueuedEventSchema = event('job.queued', {
  topic: z.string().check(z.maxLength(TOPIC_MAX_LENGTH)),
  options: JobOptionsSchema,
  revisionOf: z.optional(RevisionOfSchema),
})
export const JobStartedEventSchema = event('job.started', {
  attempt: z.number().check(z.int(), z.positive()),
})
export const StepStartedEventSchema = event('step.started', { step: StepSchema })
export const StepCompletedEventSchema = event('step.completed', { step: StepSchema })
export const OutlineReadyEventSchema = event('outline.ready', {
  title: z.string(),
  sections: z.array(z.string()),
})
export const JobWaitingEventSchema = event('job.waiting', {
  for: z.literal('outline'),
  expiresAt: z.iso.datetime(),
})
export const OutlineApprovedEventSchema = event('outline.approved', {
  title: z.string(),
  sections: z.array(z.string()),
  edited: z.boolean(),
})
export const SectionStartedEventSchema = event('section.started', {
  index: index(),
  title: z.string(),
})
export const TokenEventSchema = event('token', {
  step: StepSchema,
  index: z.optional(index()),
  text: z.string(),
})
export const SectionCompletedEventSchema = event('section.completed', {
  index: index(),
  title: z.string(),
  content: z.string(),
})
export const JobRetryingEventSchema = event('job.retrying', {
  attempt: z.number().check(z.int(), z.positive()),
  delayMs: z.number().check(z.int(), z.nonnegative()),
  reason: z.string(),
})
export const JobCompletedEventSchema = event('job.completed', {
  article: ArticleSchema,
  usage: z.optional(UsageSchema),
})
export const JobFailedEventSchema = event('job.failed', { error: JobErrorSchema })
export const JobCancelledEventSchema = event('job.cancelled', { reason: z.optional(z.string()) })

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
