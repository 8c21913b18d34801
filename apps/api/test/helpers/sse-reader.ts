import { type ProgressEvent, ProgressEventSchema } from '@inkflow/shared'
import { createParser } from 'eventsource-parser'

export interface ReadOptions {
  /** Sent as `Last-Event-ID`. */
  lastEventId?: number
  /** Extra query string, e.g. `lastEventId=4`. */
  query?: string
  /** Drop the connection after this many events (a client going away mid-stream). */
  stopAfter?: number
  /** Drop the connection after this many comment lines. */
  stopAfterComments?: number
  /** Called with each event as it arrives. */
  onEvent?: (event: ProgressEvent) => void
  timeoutMs?: number
}

export interface StreamResult {
  status: number
  headers: Headers
  events: ProgressEvent[]
  comments: string[]
  retry?: number
  /** The raw bytes received, for byte-level checks. */
  raw: string
  /** True when the server ended the response (not us). */
  endedByServer: boolean
}

/**
 * Reads a job's event stream over a real connection, checking every frame the way a strict
 * client would: the `event:` name equals the data's `type`, the `id:` equals its `seq`, and
 * the data parses with the shared schema.
 */
export async function readStream(url: string, options: ReadOptions = {}): Promise<StreamResult> {
  const controller = new AbortController()
  const timer = setTimeout(
    () => controller.abort(new Error('stream read timed out')),
    options.timeoutMs ?? 15_000,
  )
  const headers: Record<string, string> = {}
  if (options.lastEventId !== undefined) headers['Last-Event-ID'] = String(options.lastEventId)
  const result: StreamResult = {
    status: 0,
    headers: new Headers(),
    events: [],
    comments: [],
    raw: '',
    endedByServer: false,
  }
  let stopped = false
  const parser = createParser({
    onEvent(message) {
      const event = ProgressEventSchema.parse(JSON.parse(message.data))
      if (message.event !== event.type)
        throw new Error(`frame event ${message.event} != type ${event.type}`)
      if (message.id !== String(event.seq))
        throw new Error(`frame id ${message.id} != seq ${event.seq}`)
      result.events.push(event)
      options.onEvent?.(event)
      if (options.stopAfter !== undefined && result.events.length >= options.stopAfter)
        stopped = true
    },
    onComment(comment) {
      result.comments.push(comment)
      if (
        options.stopAfterComments !== undefined &&
        result.comments.length >= options.stopAfterComments
      )
        stopped = true
    },
    onRetry(ms) {
      result.retry = ms
    },
  })
  try {
    const res = await fetch(options.query ? `${url}?${options.query}` : url, {
      headers,
      signal: controller.signal,
    })
    result.status = res.status
    result.headers = res.headers
    if (!res.body) return result
    const decoder = new TextDecoder()
    const reader = res.body.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      const text = decoder.decode(value, { stream: true })
      result.raw += text
      parser.feed(text)
      if (stopped) {
        await reader.cancel().catch(() => {})
        return result
      }
    }
    result.endedByServer = true
    return result
  } finally {
    clearTimeout(timer)
  }
}
