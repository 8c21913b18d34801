import { createHash } from 'node:crypto'
import type { CreateRevisionBody } from '@inkflow/shared'
import type { CreateJobInput, JobRecord } from './job-store.js'

/** A revision was asked of a job that has no finished article to revise. */
export class JobNotCompletedError extends Error {
  readonly code = 'job_not_completed'
  constructor(readonly job: JobRecord) {
    super(`only a completed job's article can be revised; this job is ${job.status}`)
  }
}

/** A revision named a section the article does not have. */
export class SectionOutOfRangeError extends Error {
  readonly code = 'section_out_of_range'
  constructor(
    readonly section: number,
    readonly count: number,
  ) {
    super(
      `section must be the 0-based index of one of the article's ${count} sections (0 to ${count - 1}); got ${section}`,
    )
  }
}

/**
 * What a revision of `original` stores with the new job: the section and instruction asked
 * for, the article it starts from and that article's outline. Throws
 * `JobNotCompletedError` unless `original` is completed, `SectionOutOfRangeError` unless the
 * section is one of its article's.
 */
export function revisionOf(
  original: JobRecord,
  body: CreateRevisionBody,
): NonNullable<CreateJobInput['revision']> {
  const base = original.article
  if (original.status !== 'completed' || !base) throw new JobNotCompletedError(original)
  if (body.section >= base.sections.length) {
    throw new SectionOutOfRangeError(body.section, base.sections.length)
  }
  const of = { jobId: original.id, section: body.section, instruction: body.instruction }
  return { of, base, ...(original.outline ? { outline: original.outline } : {}) }
}

/**
 * The idempotency fingerprint of a revision request: the job revised and the parsed body. Its
 * shape differs from a new job's (`bodyFingerprint`), so a key reused across the two routes
 * is a key reused with another body.
 */
export function revisionFingerprint(jobId: string, body: CreateRevisionBody): string {
  const canonical = { revisionOf: jobId, section: body.section, instruction: body.instruction }
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url')
}
