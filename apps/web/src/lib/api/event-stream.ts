import { isTerminalEvent, type ProgressEvent, ProgressEventSchema } from '@inkflow/shared'
import { type EventSourceMessage, fetchEventSource } from '@microsoft/fetch-event-source'
import { type BackoffOptions, backoffDelay } from './backoff.js'
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

/** What one connection needs; `followJobEvents` runs one of these per attempt. */
interface ConnectionOptions {
  url: string
  /** Sent as `Last-Event-ID` when above 0. */
  lastSeq: number
  /** Called with each frame that carries data (heartbeats carry none and are dropped). */
  onFrame(message: EventSourceMessage): void
  onOpen(): void
  /** True once the terminal event arrived: a clean end of the response is then expected. */
  finished(): boolean
  /** A silent connection (no frame, no heartbeat) is dropped after this long. */
  idleTimeoutMs: number
  /** Stops this connection; `reason` becomes the error the attempt ends with. */
  abort: AbortSignal
  fetch?: typeof fetch
}

const RETRYABLE_STATUS = new Set([408, 425, 429])

/**
 * One request to the event stream. Resolves when the terminal event has arrived (or the
 * caller aborted with no reason); rejects with a `StreamError` otherwise. It never retries:
 * fetch-event-source's own loop waits a fixed second and cannot be woken by `online`, so the
 * caller owns the retry loop.
 */
async function connectOnce(options: ConnectionOptions): Promise<void> {
  const controller = new AbortController()
  let failure: StreamError | undefined
  const stop = (error?: StreamError) => {
    failure ??= error
    controller.abort()
  }
  const onAbort = () =>
    stop(options.abort.reason instanceof StreamError ? options.abort.reason : undefined)
  if (options.abort.aborted) onAbort()
  options.abort.addEventListener('abort', onAbort)

  let idle: ReturnType<typeof setTimeout> | undefined
  const resetIdle = () => {
    clearTimeout(idle)
    idle = setTimeout(
      () => stop(new StreamError('stalled', `no data for ${options.idleTimeoutMs} ms`)),
      options.idleTimeoutMs,
    )
  }

  try {
    resetIdle()
    await fetchEventSource(options.url, {
      signal: controller.signal,
      // A hidden tab keeps following: closing the stream there would only replay it later.
      openWhenHidden: true,
      headers: options.lastSeq > 0 ? { 'last-event-id': String(options.lastSeq) } : {},
      ...(options.fetch ? { fetch: options.fetch } : {}),
      async onopen(response) {
        resetIdle()
        if (response.status === 404) throw new StreamError('not-found', 'job not found', 404)
        if (!response.ok) {
          const retryable = response.status >= 500 || RETRYABLE_STATUS.has(response.status)
          throw new StreamError(
            retryable ? 'bad-response' : 'rejected',
            `the server answered ${response.status}`,
            response.status,
          )
        }
        const type = response.headers.get('content-type') ?? ''
        if (!type.startsWith('text/event-stream')) {
          throw new StreamError(
            'bad-response',
            `expected an event stream, got ${type || 'nothing'}`,
          )
        }
        options.onOpen()
      },
      onmessage(message) {
        resetIdle()
        // Heartbeats (`: ping`) and the `retry:` hint dispatch as empty messages.
        if (message.data === '') return
        options.onFrame(message)
        if (options.finished()) stop()
      },
      onclose() {
        // The server ends the response after the terminal event; any other end is a drop.
        if (!options.finished()) {
          throw new StreamError('ended-early', 'the stream ended before the job did')
        }
      },
      onerror(error) {
        // Rethrowing turns off the library's fixed-interval retry: our caller decides.
        throw error instanceof StreamError ? error : new StreamError('network', String(error))
      },
    })
  } catch (error) {
    if (failure) throw failure
    if (controller.signal.aborted && !(error instanceof StreamError)) return
    throw error instanceof StreamError ? error : new StreamError('network', String(error))
  } finally {
    clearTimeout(idle)
    options.abort.removeEventListener('abort', onAbort)
  }
  if (failure) throw failure
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
