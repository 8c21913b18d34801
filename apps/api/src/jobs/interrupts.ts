/** Abort reasons of a running job: they decide how the job ends. */

/** The job was cancelled through the API: it ends with `job.cancelled`. */
export class CancelRequested extends Error {
  readonly code = 'cancelled'
  constructor(readonly reason = 'cancelled by request') {
    super(reason)
  }
}

/** The worker is stopping: the job keeps its checkpoint and resumes on the next start. */
export class ShutdownRequested extends Error {
  readonly code = 'shutdown'
  constructor() {
    super('the worker is shutting down')
  }
}
