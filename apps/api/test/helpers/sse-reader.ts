import { request } from 'node:http'
import { type ProgressEvent, ProgressEventSchema } from '@inkflow/shared'
import { createParser } from 'eventsource-parser'

export interface StreamOptions {
  /** Sent as `Last-Event-ID`; replay starts after it. */
  lastEventId?: number
  /** Extra query string, e.g. `lastEventId=4`. */
  query?: string
  headers?: Record<string, string>
  /** The loopback source address to connect from (one "client" per address). */
  from?: string
  /** Drop the connection after this many events (a client going away mid-stream). */
  stopAfter?: number
  /** Drop the connection after this many comment lines. */
  stopAfterComments?: number
  /** Hears each event as it is parsed (a test kills the server from here). */
  onEvent?: (event: ProgressEvent) => void
}

/** One job's event stream as a strict client sees it; the fields fill in as frames arrive. */
export interface EventStream {
  status: number
  headers: Headers
  events: ProgressEvent[]
  /** When each event arrived (`Date.now()`, comparable with its `ts`), by index. */
  arrivedAt: number[]
  comments: string[]
  /** The last `retry:` hint. */
  retry?: number
  /** The raw text received, for byte-level checks. */
  raw: string
  /** True once the server has ended the response (not us, not a broken connection). */
  endedByServer: boolean
  /** True once the connection broke before the response ended (the server died). */
  dropped: boolean
  /** Resolves when the connection closes, however; rejects on a frame a strict client refuses. */
  ended: Promise<void>
  /** Resolves with the first event that matches; rejects if the stream ends first or after `ms`. */
  waitFor(match: (event: ProgressEvent) => boolean, ms?: number): Promise<ProgressEvent>
  /** Resolves once `count` events have arrived; rejects if the stream ends first or after `ms`. */
  waitForCount(count: number, ms?: number): Promise<void>
  close(): void
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(raw)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      headers.append(name, v)
    }
  }
  return headers
}

/**
 * Opens a job's event stream over a real socket of its own and resolves at the response
 * head, whatever its status. Every frame is checked the way a strict client would: the
 * `event:` name equals the data's `type`, the `id:` equals its `seq`, and the data parses
 * with the shared schema; a frame that fails closes the stream and rejects `ended`.
 */
export function openStream(url: string, options: StreamOptions = {}): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const wakers = new Set<() => void>()
    const wake = () => {
      for (const w of wakers) w()
    }
    let closedByUs = false
    let invalid: unknown
    let settleEnded: () => void = () => {}
    const stream: EventStream = {
      status: 0,
      headers: new Headers(),
      events: [],
      arrivedAt: [],
      comments: [],
      raw: '',
      endedByServer: false,
      dropped: false,
      ended: new Promise<void>((r) => (settleEnded = r)).then(() => {
        if (invalid) throw invalid
      }),
      waitFor: (match, ms) => waitUntil(() => stream.events.find(match), ms),
      waitForCount: async (count, ms) => {
        await waitUntil(() => stream.events.length >= count || undefined, ms)
      },
      close: () => {
        closedByUs = true
        req.destroy()
      },
    }
    // A test that never awaits `ended` still fails through its assertions on the events.
    stream.ended.catch(() => {})
    const isOver = () => stream.endedByServer || stream.dropped || closedByUs || !!invalid

    function waitUntil<T>(found: () => T | undefined, ms = 20_000): Promise<T> {
      return new Promise((done, fail) => {
        const types = () => stream.events.map((e) => e.type).join(', ')
        const timer = setTimeout(
          () => settle(new Error(`not seen in ${ms} ms; got ${types()}`)),
          ms,
        )
        const settle = (err?: unknown, value?: T) => {
          clearTimeout(timer)
          wakers.delete(check)
          if (err) fail(err)
          else done(value as T)
        }
        function check() {
          const value = found()
          if (value !== undefined) settle(undefined, value)
          else if (invalid) settle(invalid)
          else if (isOver()) settle(new Error(`the stream ended without it; got ${types()}`))
        }
        wakers.add(check)
        check()
      })
    }

    const parser = createParser({
      onEvent(message) {
        if (invalid) return
        try {
          const event = ProgressEventSchema.parse(JSON.parse(message.data))
          if (message.event !== event.type)
            throw new Error(`frame event ${message.event} != type ${event.type}`)
          if (message.id !== String(event.seq))
            throw new Error(`frame id ${message.id} != seq ${event.seq}`)
          stream.events.push(event)
          stream.arrivedAt.push(Date.now())
          options.onEvent?.(event)
        } catch (err) {
          invalid = err
          req.destroy()
          return
        }
        if (options.stopAfter !== undefined && stream.events.length >= options.stopAfter)
          stream.close()
      },
      onComment(comment) {
        stream.comments.push(comment)
        const enough = options.stopAfterComments
        if (enough !== undefined && stream.comments.length >= enough) stream.close()
      },
      onRetry(ms) {
        stream.retry = ms
      },
    })
    const headers = { ...options.headers }
    if (options.lastEventId !== undefined) headers['Last-Event-ID'] = String(options.lastEventId)
    const target = options.query ? `${url}?${options.query}` : url
    const req = request(target, { headers, agent: false, localAddress: options.from }, (res) => {
      stream.status = res.statusCode ?? 0
      stream.headers = toHeaders(res.headers)
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        stream.raw += chunk
        parser.feed(chunk)
        wake()
      })
      res.on('error', () => {}) // a broken connection: told by `close` below
      res.on('close', () => {
        if (!closedByUs && !invalid) {
          stream.endedByServer = res.complete
          stream.dropped = !res.complete
        }
        settleEnded()
        wake()
      })
      resolve(stream)
    })
    req.on('error', (err) => {
      reject(err) // no answer at all; after the head, `close` tells the rest
      settleEnded()
      wake()
    })
    req.end()
  })
}

/**
 * Reads a job's event stream until the server ends it, the connection drops, or
 * `stopAfter`/`stopAfterComments` is reached; fails on a bad frame or after `timeoutMs`
 * (default 20 s).
 */
export async function readStream(
  url: string,
  options: StreamOptions & { timeoutMs?: number } = {},
): Promise<EventStream> {
  const timeoutMs = options.timeoutMs ?? 20_000
  const stream = await openStream(url, options)
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => {
      stream.close()
      fail(new Error(`the stream did not end within ${timeoutMs} ms`))
    }, timeoutMs)
  })
  try {
    await Promise.race([stream.ended, timeout])
  } finally {
    clearTimeout(timer)
  }
  return stream
}

/** The seqs of some events, in order. */
export const seqsOf = (events: ProgressEvent[]): number[] => events.map((e) => e.seq)
