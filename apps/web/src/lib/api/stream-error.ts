/** Why a connection to a job's event stream did not go on. */
export type StreamErrorType =
  /** The job does not exist (404): never retried. */
  | 'not-found'
  /** Any other answer that retrying cannot fix (a 4xx). */
  | 'rejected'
  /** The server answered 5xx, 429 or something that is not an event stream. */
  | 'bad-response'
  /** The response ended before the job's terminal event. */
  | 'ended-early'
  /** The request failed: offline, refused, reset. */
  | 'network'
  /** Nothing arrived for longer than a heartbeat should take. */
  | 'stalled'
  /** The browser went offline. */
  | 'offline'

const FATAL: ReadonlySet<StreamErrorType> = new Set(['not-found', 'rejected'])

/** An error of the event stream client; `type` says whether a retry may help. */
export class StreamError extends Error {
  override name = 'StreamError'
  constructor(
    readonly type: StreamErrorType,
    message: string,
    /** HTTP status, when the server answered. */
    readonly status?: number,
  ) {
    super(message)
  }

  get retryable(): boolean {
    return !FATAL.has(this.type)
  }
}

/** A frame that is not a valid event: reported, skipped, never applied. */
export class InvalidFrameError extends Error {
  override name = 'InvalidFrameError'
  constructor(
    message: string,
    /** The frame's `data`, cut to a readable length. */
    readonly data: string,
  ) {
    super(message)
  }
}
