import {
  isTerminalStatus,
  type Job,
  type JobAccepted,
  type JobCreated,
  type JobSummary,
} from '@inkflow/shared'
import type { JobRecord } from '../../jobs/job-store.js'

export const jobPath = (id: string) => `/api/jobs/${encodeURIComponent(id)}`

/**
 * The public view of a stored job: what the runner keeps for itself, and the hash of the
 * owner's token, stay inside. An ended job says when the retention sweep will forget it:
 * its last update (its end) plus `jobTtlMs` (`JOB_TTL`), the sweep's own cutoff.
 */
export function toJob(record: JobRecord, jobTtlMs: number): Job {
  const {
    attempt: _attempt,
    checkpoint: _checkpoint,
    ownerTokenHash: _ownerTokenHash,
    reviewExpiresAt: _reviewExpiresAt,
    revisionBase: _revisionBase,
    ...job
  } = record
  if (!isTerminalStatus(job.status)) return job
  const expiresAt = new Date(Date.parse(job.updatedAt) + jobTtlMs).toISOString()
  return { ...job, expiresAt }
}

export function toSummary(record: JobRecord): JobSummary {
  const { id, topic, status, progress, step, createdAt, updatedAt } = record
  return { id, topic, status, progress, step, createdAt, updatedAt }
}

export function toAccepted(record: JobRecord): JobAccepted {
  const self = jobPath(record.id)
  return { id: record.id, status: record.status, links: { self, events: `${self}/events` } }
}

/** The answer to `POST /api/jobs`: the one place the plain owner token goes out. */
export function toCreated(record: JobRecord, ownerToken: string): JobCreated {
  const { id, status, links } = toAccepted(record)
  return { id, status, ownerToken, links }
}
