import { isTerminalEvent, type ProgressEvent, ProgressEventSchema } from '@inkflow/shared'
import type { EventSourceMessage } from '@microsoft/fetch-event-source'
import { type BackoffOptions, backoffDelay } from './backoff.js'
import { connectOnce } from './stream-connection.js'
import { InvalidFrameError, StreamError } from './stream-error.js'

/** Where a followed stream stands; `attempt` counts retries since events last arrived. */
export type StreamState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'open' }
  | { kind: 'waiting'; attempt: number; delayMs: number; reason: string }
  | { kind: 'done' }
  | { kind: 'not-found' }
  | { kind: 'failed'; message: string }
  | { kind: 'stopped' }

export interface FollowOptions {
  /** The job's events URL. */
  url: string
  /** The last seq already applied: the stream resumes after it. Default 0. */
  lastSeq?: number
  /** Each valid event, once, in seq order. */
  onEvent(event: ProgressEvent): void
  onState?(state: StreamState): void
  /** A frame that failed validation (or whose handler threw); the stream goes on. */
  onInvalid?(error: InvalidFrameError): void
  backoff?: BackoffOptions
  /** Drop a connection silent for this long. Default 45 s (three missed heartbeats). */
  idleTimeoutMs?: number
  /** Source of `online`/`offline` events. Default: `window` in a browser. */
  network?: EventTarget
  fetch?: typeof fetch
}

/** A followed stream. */
export interface JobStream {
  /** Settles with the final state: `done`, `not-found`, `failed` or `stopped`. */
  readonly finished: Promise<StreamState>
  lastSeq(): number
  /** Stops for good; no more events are delivered. */
  stop(): void
}

/**
 * Follows a job's event stream until its terminal event, reconnecting with backoff after
 * any drop and resuming after the last seq it applied (tracked here, not by the library,
 * so an event is counted only once it has been validated and handed over).
 */
export function followJobEvents(options: FollowOptions): JobStream {
  const network = options.network ?? (typeof window === 'undefined' ? undefined : window)
  let lastSeq = options.lastSeq ?? 0
  let terminal = false
  let stopped = false
  let current = new AbortController()
  let wake: (() => void) | undefined

  const setState = (state: StreamState) => options.onState?.(state)
  const report = (message: string, data: string) =>
    options.onInvalid?.(new InvalidFrameError(message, data.slice(0, 200)))

  const onFrame = (message: EventSourceMessage, progressed: () => void) => {
    let json: unknown
    try {
      json = JSON.parse(message.data)
    } catch {
      return report('the frame is not JSON', message.data)
    }
    const parsed = ProgressEventSchema.safeParse(json)
    if (!parsed.success) return report(`invalid event: ${parsed.error.message}`, message.data)
    const event = parsed.data
    if (event.seq <= lastSeq) return // already applied: a replay overlapping what we had
    lastSeq = event.seq
    progressed()
    if (isTerminalEvent(event)) terminal = true
    try {
      options.onEvent(event)
    } catch (error) {
      report(`the event handler failed: ${String(error)}`, message.data)
    }
  }

  const onOffline = () => current.abort(new StreamError('offline', 'the browser went offline'))
  const onOnline = () => wake?.()
  network?.addEventListener('offline', onOffline)
  network?.addEventListener('online', onOnline)

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => wake?.(), ms)
      wake = () => {
        clearTimeout(timer)
        wake = undefined
        resolve()
      }
    })

  const run = async (): Promise<StreamState> => {
    let attempt = 0
    while (!stopped) {
      setState({ kind: 'connecting', attempt })
      current = new AbortController()
      let progressed = false
      try {
        await connectOnce({
          url: options.url,
          lastSeq,
          onFrame: (message) => onFrame(message, () => (progressed = true)),
          onOpen: () => setState({ kind: 'open' }),
          finished: () => terminal,
          idleTimeoutMs: options.idleTimeoutMs ?? 45_000,
          abort: current.signal,
          fetch: options.fetch,
        })
        if (terminal) return { kind: 'done' }
        if (stopped) break
        throw new StreamError('ended-early', 'the connection closed before the job ended')
      } catch (error) {
        if (stopped) break
        const failure =
          error instanceof StreamError ? error : new StreamError('network', String(error))
        if (failure.type === 'not-found') return { kind: 'not-found' }
        if (!failure.retryable) return { kind: 'failed', message: failure.message }
        // A connection that delivered events starts the backoff over.
        attempt = progressed ? 1 : attempt + 1
        const delayMs = backoffDelay(attempt, options.backoff)
        setState({ kind: 'waiting', attempt, delayMs, reason: failure.message })
        await sleep(delayMs)
      }
    }
    return { kind: 'stopped' }
  }

  const finished = run().then((state) => {
    network?.removeEventListener('offline', onOffline)
    network?.removeEventListener('online', onOnline)
    setState(state)
    return state
  })

  return {
    finished,
    lastSeq: () => lastSeq,
    stop() {
      stopped = true
      current.abort()
      wake?.()
    },
  }
}
