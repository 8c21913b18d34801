import { request } from 'node:http'
import { type ProgressEvent, ProgressEventSchema } from '@inkflow/shared'
import { createParser } from 'eventsource-parser'

export interface OpenedStream {
  events: ProgressEvent[]
  /** Resolves when the server ends the response (or the socket closes). */
  ended: Promise<void>
  /** Resolves once an event matches (or rejects after `ms`). */
  waitFor(match: (e: ProgressEvent) => boolean, ms?: number): Promise<ProgressEvent>
  close(): void
}

/** Opens a job's event stream over a real socket and parses every frame. */
export function openStream(
  baseUrl: string,
  jobId: string,
  headers: Record<string, string> = {},
): Promise<OpenedStream> {
  return new Promise((resolve, reject) => {
    const events: ProgressEvent[] = []
    const waiters = new Set<() => void>()
    let isEnded = false
    let endedResolve = () => {}
    const ended = new Promise<void>((r) => (endedResolve = r))
    const parser = createParser({
      onEvent: (message) => {
        const event = ProgressEventSchema.parse(JSON.parse(message.data))
        if (String(event.seq) !== message.id) throw new Error(`id ${message.id} ≠ seq ${event.seq}`)
        events.push(event)
        for (const wake of waiters) wake()
      },
    })
    const req = request(`${baseUrl}/api/jobs/${jobId}/events`, { headers, agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`))
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => parser.feed(chunk))
      res.on('close', () => {
        isEnded = true
        endedResolve()
        for (const wake of waiters) wake()
      })
      resolve({
        events,
        ended,
        close: () => req.destroy(),
        waitFor: (match, ms = 20_000) =>
          new Promise((found, fail) => {
            const timer = setTimeout(() => {
              waiters.delete(check)
              fail(new Error(`no matching event in ${ms} ms; got ${events.map((e) => e.type)}`))
            }, ms)
            function check() {
              const event = events.find(match)
              if (!event && isEnded) {
                clearTimeout(timer)
                waiters.delete(check)
                fail(new Error(`stream ended without it; got ${events.map((e) => e.type)}`))
              }
              if (!event) return
              clearTimeout(timer)
              waiters.delete(check)
              found(event)
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

/** Reads a whole (finished) stream: replay, then the server ends it. */
export async function readAll(
  baseUrl: string,
  jobId: string,
  headers: Record<string, string> = {},
): Promise<ProgressEvent[]> {
  const stream = await openStream(baseUrl, jobId, headers)
  await stream.ended
  return stream.events
}

/** The seqs of a log, checked to be exactly 1..N. */
export function seqsOf(events: ProgressEvent[]): number[] {
  return events.map((e) => e.seq)
}
