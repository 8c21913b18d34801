import type { Article, JobError, JobOptions, JobStatus, Step } from '@inkflow/shared'

/** `stopped`: the step was under way when the job was cancelled or failed. */
export type StepState = 'pending' | 'active' | 'done' | 'stopped'
/** `stopped`: the section was being written when the job was cancelled or failed. */
export type SectionState = 'pending' | 'writing' | 'done' | 'stopped'

/**
 * Where a job that asked for an outline review is: waiting for the person (until
 * `expiresAt`), then approved (`edited` when the approved outline differs from the proposal).
 */
export type OutlineReview =
  | { state: 'waiting'; expiresAt: string }
  | { state: 'approved'; edited: boolean }

export interface SectionView {
  title: string
  state: SectionState
  /** The section's text as its tokens arrived. */
  text: string
}

/**
 * Everything the job page shows, folded from the job's events. Plain JSON, so it can be
 * saved to `sessionStorage` whole, together with the seq it reflects.
 */
export interface JobView {
  jobId: string
  topic: string
  /** The options the job was started with, once `job.queued` is seen. */
  options: JobOptions | null
  status: JobStatus
  /** 0–100, never lower than before. */
  progress: number
  steps: Record<Step, StepState>
  /** What is happening now, in words. */
  activity: string
  /** The outline's title, once known: the proposal, then the approved outline. */
  title: string
  sections: SectionView[]
  /** The outline review, for a job started with `reviewOutline`; null otherwise. */
  review: OutlineReview | null
  /** The style step's text as its tokens arrive. */
  polished: string
  article: Article | null
  error: JobError | null
  /** Why the job was cancelled, when the server said (`outline review expired`). */
  cancelReason: string | null
  /** The run attempt (above 1 after a resume). */
  attempt: number
  /** The last event applied. */
  lastSeq: number
}

export const STEPS: readonly Step[] = ['outline', 'content', 'style']

/** The view of a job before any of its events. */
export function emptyJobView(jobId: string): JobView {
  return {
    jobId,
    topic: '',
    options: null,
    status: 'queued',
    progress: 0,
    steps: { outline: 'pending', content: 'pending', style: 'pending' },
    activity: 'Connecting…',
    title: '',
    sections: [],
    review: null,
    polished: '',
    article: null,
    error: null,
    cancelReason: null,
    attempt: 1,
    lastSeq: 0,
  }
}
