import { type ProgressEvent, ProgressEventSchema } from '@inkflow/shared'
import { createParser } from 'eventsource-parser'

export interface FollowOptions {
  /** Sent as `Last-Event-ID`; replay starts after it. */
  lastEventId?: number
  /** Hears each event as it is parsed (a test kills the server from here). */
  onEvent?: (event: ProgressEvent) => void
  /** Gives up, failing, after this long. Default 20 s. */
  timeoutMs?: number
}

export interface Followed {
  status: number
  events: ProgressEvent[]
  /** `server`: the response ended; `dropped`: the connection broke (the server died). */
  ended: 'server' | 'dropped'
  /** The last `retry:` hint received. */
  retry?: number
}

/**
 * Reads a job's event stream over a real socket until the server ends it or the connection
 * drops, checking each frame like a strict client: `event:` is the data's type and `id:`
 * its seq, and the data parses with the shared schema.
 */
export async function followEvents(url: string, options: FollowOptions = {}): Promise<Followed> {
  const timeoutMs = options.timeoutMs ?? 20_000
  const signal = AbortSignal.timeout(timeoutMs)
  const result: Followed = { status: 0, events: [], ended: 'server' }
  // A bad frame fails the read, even if the connection breaks right after it.
  let invalid: unknown
  const parser = createParser({
    onEvent(message) {
      try {
        const event = ProgressEventSchema.parse(JSON.parse(message.data))
        if (message.event !== event.type) throw new Error(`event ${message.event} != ${event.type}`)
        if (message.id !== String(event.seq)) throw new Error(`id ${message.id} != ${event.seq}`)
        result.events.push(event)
        options.onEvent?.(event)
      } catch (err) {
        invalid ??= err
      }
    },
    onRetry(ms) {
      result.retry = ms
    },
  })
  const headers: Record<string, string> =
    options.lastEventId === undefined ? {} : { 'Last-Event-ID': String(options.lastEventId) }
  const res = await fetch(url, { headers, signal })
  result.status = res.status
  if (!res.body) return result
  const decoder = new TextDecoder()
  try {
    for await (const chunk of res.body) parser.feed(decoder.decode(chunk, { stream: true }))
  } catch {
    if (signal.aborted) throw new Error(`the stream did not end within ${timeoutMs} ms`)
    result.ended = 'dropped'
  }
  if (invalid) throw invalid
  return result
}
