import { type IncomingHttpHeaders, request } from 'node:http'
import { type ProgressEvent, ProgressEventSchema } from '@inkflow/shared'
import { createParser } from 'eventsource-parser'

export interface ProxiedStream {
  status: number
  headers: IncomingHttpHeaders
  /** Each event with the time it arrived (`Date.now()`, comparable with its `ts`). */
  events: Array<{ event: ProgressEvent; at: number }>
  /** Resolves when the response ends or the socket closes. */
  ended: Promise<void>
  /** Resolves once `count` events have arrived; rejects if the stream ends first. */
  waitForCount(count: number, ms?: number): Promise<void>
  close(): void
}

/**
 * Opens an event stream from a chosen loopback source address (one "client"), recording
 * when each event arrives; a non-200 answer resolves with its status and no events.
 */
export function openProxiedStream(
  url: string,
  options: { from?: string; lastEventId?: number; headers?: Record<string, string> } = {},
): Promise<ProxiedStream> {
  return new Promise((resolve, reject) => {
    const events: ProxiedStream['events'] = []
    const waiters = new Set<() => void>()
    let isEnded = false
    let markEnded = () => {}
    const ended = new Promise<void>((r) => (markEnded = r))
    const parser = createParser({
      onEvent: (message) => {
        const event = ProgressEventSchema.parse(JSON.parse(message.data))
        if (String(event.seq) !== message.id) throw new Error(`id ${message.id} ≠ seq ${event.seq}`)
        events.push({ event, at: Date.now() })
        for (const wake of waiters) wake()
      },
    })
    const headers = { ...options.headers }
    if (options.lastEventId !== undefined) headers['Last-Event-ID'] = String(options.lastEventId)
    const req = request(url, { headers, agent: false, localAddress: options.from }, (res) => {
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => parser.feed(chunk))
      res.on('error', () => {})
      res.on('close', () => {
        isEnded = true
        markEnded()
        for (const wake of waiters) wake()
      })
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        ended,
        close: () => req.destroy(),
        waitForCount: (count, ms = 20_000) =>
          new Promise((done, fail) => {
            const timer = setTimeout(
              () => settle(new Error(`${events.length} events in ${ms} ms`)),
              ms,
            )
            const settle = (err?: Error) => {
              clearTimeout(timer)
              waiters.delete(check)
              if (err) fail(err)
              else done()
            }
            function check() {
              if (events.length >= count) settle()
              else if (isEnded) settle(new Error(`stream ended after ${events.length} events`))
            }
            waiters.add(check)
            check()
          }),
      })
    })
    req.on('error', reject)
    req.end()
  })
}
