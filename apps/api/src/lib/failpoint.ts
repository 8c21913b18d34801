/**
 * Named points around a job's end where a test may crash the process, to check that no
 * moment leaves the storage inconsistent (`test/process/finish-crash.test.ts`). Test-only:
 * `INKFLOW_FAILPOINT` (read by `env.ts`) names one, and the composition root then kills the
 * process with SIGKILL the first time the code reaches it. Unset, nothing happens.
 */
export const FAILPOINTS = [
  /** The flow is done; its last events and checkpoint may still be on their way. */
  'execute:flow-done',
  /** A running job's events have all landed (or the job never ran); its finish is not issued. */
  'finish:before-commit',
  /** The finish is issued and not yet committed (SQLite: waiting in the write queue). */
  'finish:commit-queued',
  /** The finish has committed; nothing else has happened since. */
  'finish:after-commit',
] as const

export type FailpointName = (typeof FAILPOINTS)[number]

/** Called at each named point; the composition root's kills the process at the chosen one. */
export type Failpoint = (name: FailpointName) => void
