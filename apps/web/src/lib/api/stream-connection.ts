import { type EventSourceMessage, fetchEventSource } from '@microsoft/fetch-event-source'
import { StreamError } from './stream-error.js'

/** What one connection needs; `event-stream.ts` runs one of these per attempt. */
export interface ConnectionOptions {
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
export async function connectOnce(options: ConnectionOptions): Promise<void> {
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
