import { DEFAULT_JOB_OPTIONS } from '@inkflow/shared'
import type { UnsequencedEvent } from '../../src/events/event-log.js'

/** The timestamp of events built by hand; the stores keep it as given. */
export const eventTs = '2026-11-20T10:00:00.000Z'

export const testArticle = {
  title: 'T',
  sections: [{ title: 'S', content: 'c' }],
  markdown: '# T',
  language: 'en',
}

/** A job's first event as `POST /api/jobs` logs it, for tests that build a log by hand. */
export const queuedEvent = (jobId: string, ts = eventTs, topic = 'tea'): UnsequencedEvent => ({
  type: 'job.queued',
  jobId,
  ts,
  progress: 0,
  topic,
  options: DEFAULT_JOB_OPTIONS,
})

export const tokenEvent = (jobId: string, text: string, ts = eventTs): UnsequencedEvent => ({
  type: 'token',
  jobId,
  ts,
  progress: 50,
  step: 'content',
  index: 0,
  text,
})

export const completedEvent = (jobId: string, article = testArticle): UnsequencedEvent => ({
  type: 'job.completed',
  jobId,
  ts: eventTs,
  progress: 100,
  article,
})

export const cancelledEvent = (jobId: string): UnsequencedEvent => ({
  type: 'job.cancelled',
  jobId,
  ts: eventTs,
  progress: 40,
  reason: 'cancelled by request',
})
