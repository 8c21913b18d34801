import { DEFAULT_JOB_OPTIONS } from '@inkflow/shared'
import type { UnsequencedEvent } from '../../src/events/event-log.js'

/** A job's first event as `POST /api/jobs` logs it, for tests that build a log by hand. */
export const queuedEvent = (jobId: string, ts: string, topic = 'tea'): UnsequencedEvent => ({
  type: 'job.queued',
  jobId,
  ts,
  progress: 0,
  topic,
  options: DEFAULT_JOB_OPTIONS,
})
