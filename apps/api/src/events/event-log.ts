import type { DistributiveOmit, ProgressEvent } from '@inkflow/shared'

/** An event ready to append: everything but the `seq` the log assigns. */
export type UnsequencedEvent = DistributiveOmit<ProgressEvent, 'seq'>

export type EventListener = (event: ProgressEvent) => void

/** Options of one append. */
export interface AppendOptions {
  /**
   * Fence: the job attempt the writer runs (the executor passes it). An adapter shared by
   * several processes (`redis`) refuses the append with `EventLogFencedError` unless this is
   * the job's current attempt, so a worker that lost its job to another one can no longer
   * write into the log. Adapters confined to one process may ignore it. Default: no fence.
   */
  attempt?: number
  /**
   * The seq the writer expects this event to get. When given, the append is refused with
   * `EventLogSeqError`, storing nothing, unless it is exactly the log's next seq. A writer
   * that sends appends without waiting for each one names their seqs: if one fails, every
   * one sent after it fails too, instead of leaving its text out of the log. Default: any.
   */
  seq?: number
}

/**
 * The append-only log of a job's events: the single source of truth every stream
 * replays from. This is the port the store adapters implement (`store/memory|sqlite|redis`).
 *
 * In the contract (tested by `test/store/event-log.contract.ts` for every adapter):
 * - `append` assigns `seq` = previous + 1, starting at 1, with no gap or repeat even under
 *   concurrent appends to one job; appends made without waiting get seqs in call order.
 * - An append naming a `seq` other than the next one throws `EventLogSeqError`.
 * - After a terminal event (`job.completed|failed|cancelled`) the log is closed: further
 *   appends throw `EventLogClosedError`, so a job has at most one terminal event, last.
 * - `read(jobId, afterSeq, limit)` returns events with seq > afterSeq, ascending.
 * - `subscribe` delivers every event appended after it returns, in seq order, until
 *   unsubscribed. Delivery may be late or, under load, skip ahead: listeners must fill
 *   gaps with `read` (the SSE stream does).
 * - `remove(jobIds)` deletes those jobs' events (retention): `read` then returns none.
 * Not in the contract: delivery of events appended before `subscribe` returned.
 */
export interface EventLog {
  append(event: UnsequencedEvent, options?: AppendOptions): Promise<ProgressEvent>
  read(jobId: string, afterSeq: number, limit?: number): Promise<ProgressEvent[]>
  /** Deletes every event of these jobs; used by the retention sweep once the jobs are gone. */
  remove(jobIds: readonly string[]): Promise<void>
  subscribe(jobId: string, listener: EventListener): () => void
  close(): Promise<void>
}

export class EventLogClosedError extends Error {
  readonly code = 'event_log_closed'
  constructor(readonly jobId: string) {
    super(`the event log of job ${jobId} already ends in a terminal event`)
  }
}

/** The writer runs an attempt of the job that is no longer current: it must stop. */
export class EventLogFencedError extends Error {
  readonly code = 'event_log_fenced'
  constructor(
    readonly jobId: string,
    readonly attempt: number,
  ) {
    super(`job ${jobId} has moved on from attempt ${attempt}; this writer is stale`)
  }
}

/** The log is not where the writer expected: an earlier append of its own failed, or another writer's landed. */
export class EventLogSeqError extends Error {
  readonly code = 'event_log_seq'
  constructor(
    readonly jobId: string,
    readonly expected: number,
    readonly next: number,
  ) {
    super(`job ${jobId}: the append expected seq ${expected}, the log is at ${next}`)
  }
}

/** Stamps `seq` on an event, keeping the common fields first in the JSON for readability. */
export function sequence(input: UnsequencedEvent, seq: number): ProgressEvent {
  const { type, jobId, ts, progress, ...rest } = input
  return { type, jobId, seq, ts, progress, ...rest } as ProgressEvent
}

/** How many events `read` returns when no limit is given. */
export const DEFAULT_READ_LIMIT = 1000

/**
 * The store took none of a writer's writes for longer than it may wait (`STORE_OUTAGE_TIMEOUT`):
 * the writer stops, storing nothing more, and its job is left for recovery.
 */
export class StoreOutageError extends Error {
  readonly code = 'store_outage'
  constructor(
    readonly waitedMs: number,
    override readonly cause?: unknown,
  ) {
    super(`the store took no write for ${Math.round(waitedMs / 1000)} s`)
  }
}

/**
 * How a writer waits out storage faults that may pass (a full disk, a busy database, Redis
 * away): which errors are such faults, how long to keep trying, and who hears of them.
 */
export interface StoreFaultPolicy {
  /** Whether `err` is a fault that may pass (the storage adapter knows its own errors). */
  isTransient(err: unknown): boolean
  /** Longest one write is tried again before the writer gives up with `StoreOutageError`. */
  outageTimeoutMs: number
  /** Hears each transient failure (health, readiness). */
  onFault?(err: unknown): void
  /** Hears each write that landed after a fault. */
  onRecovered?(): void
}

/** Waits before the `n`-th try again (1-based): 50 ms doubling to 1 s, with a little jitter. */
export function storeRetryDelay(n: number): number {
  return Math.min(1000, 50 * 2 ** (n - 1)) * (0.8 + Math.random() * 0.4)
}
