import type { Article, JobError, JobStatus, Step } from '@inkflow/shared/mini'

export type StepState = 'pending' | 'active' | 'done'
export type SectionState = 'pending' | 'writing' | 'done'

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
  status: JobStatus
  /** 0–100, never lower than before. */
  progress: number
  steps: Record<Step, StepState>
  /** What is happening now, in words. */
  activity: string
  /** The outline's title, once known. */
  title: string
  sections: SectionView[]
  /** The style step's text as its tokens arrive. */
  polished: string
  article: Article | null
  error: JobError | null
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
    status: 'queued',
    progress: 0,
    steps: { outline: 'pending', content: 'pending', style: 'pending' },
    activity: 'Connecting…',
    title: '',
    sections: [],
    polished: '',
    article: null,
    error: null,
    attempt: 1,
    lastSeq: 0,
  }
}
