import { isTerminalEvent, type JobStatus, type ProgressEvent } from '@inkflow/shared'
import type { AppendOptions, UnsequencedEvent } from '../events/event-log.js'
import type { CreateJobInput, CreateJobResult, JobPatch } from './job-store.js'

/**
 * The one write that ends a job's run: its record's patch and the event that says so — its
 * terminal event, or `job.waiting` when it parks for its outline review — committed
 * together or not at all. The store adapters implement it beside their `JobStore` and
 * `EventLog` (`store/memory|sqlite|redis`), since only the storage can make two writes one.
 *
 * In the contract (tested by `test/store/finish-store.contract.ts` for every adapter):
 * - `finish` patches the job (and sets `updatedAt`) and appends `event`, which must be
 *   terminal or `job.waiting` (`endsRun`), as one step: no reader, and no restart after a
 *   crash at any moment, ever sees one without the other. Subscribers hear the event once
 *   both are in; a reader that sees the event and then reads the job finds it finished (or
 *   waiting). A terminal event closes the log; `job.waiting` leaves it open.
 * - It stores nothing and throws when the job is unknown (`JobNotFoundError`), when
 *   `attempt` is given and is not the job's current attempt or the job has already finished
 *   (`EventLogFencedError`), when the log already ends (`EventLogClosedError`), or when
 *   `seq` is given and is not the log's next seq (`EventLogSeqError`); a fenced writer gets
 *   `EventLogFencedError` whatever else is wrong.
 * - `options` mean what they mean for `EventLog.append`, but every adapter honours the fence
 *   (the job record holds the attempt, whatever the store). `status`, when given, fences
 *   like the job store's update (`JobUpdateOptions.status`): a job that no longer has it is
 *   refused with `EventLogFencedError`, atomically with the write.
 */
export interface FinishStore {
  finish(event: UnsequencedEvent, patch: JobPatch, options?: FinishOptions): Promise<ProgressEvent>
  /**
   * The one write that starts a job: `JobStore.create` and the append of its first event
   * (`job.queued`, seq 1) together or not at all, so no reader and no restart ever sees the
   * job without it. An idempotent repeat returns the first job, as `JobStore.create` does,
   * and appends nothing. In the contract suite too.
   */
  create(input: CreateJobInput, event: UnsequencedEvent): Promise<CreateJobResult>
}

/** Whether `finish` takes this event: a terminal one, or `job.waiting` (the run parks). */
export function endsRun(event: UnsequencedEvent): boolean {
  return isTerminalEvent(event) || event.type === 'job.waiting'
}

export interface FinishOptions extends AppendOptions {
  /** Fence: the status the job must still have (a waiting job's expiry). Default: any. */
  status?: JobStatus
}
