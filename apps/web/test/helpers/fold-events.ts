import type { ProgressEvent } from '@inkflow/shared'
import { applyEvent } from '../../src/lib/state/apply-event.js'
import { emptyJobView, type JobView } from '../../src/lib/state/job-view.js'

export type EventBody<E = ProgressEvent> = E extends unknown
  ? Omit<E, 'jobId' | 'seq' | 'ts'>
  : never

/** Folds `bodies` into `view` (a fresh one by default), numbering them on from its last seq. */
export function fold(bodies: EventBody[], view: JobView = emptyJobView('j')): JobView {
  for (const body of bodies) {
    const seq = view.lastSeq + 1
    applyEvent(view, { ...body, jobId: 'j', seq, ts: new Date(0).toISOString() } as ProgressEvent)
  }
  return view
}
