import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DEFAULT_JOB_OPTIONS, formatFrame, type ProgressEvent } from '@inkflow/shared'

/** One request the server saw. */
export interface SeenRequest {
  lastEventId: string | undefined
  /** `performance.now()` when it arrived. */
  at: number
}

/** Answers request number `n` (0 for the first). */
export type Script = (req: IncomingMessage, res: ServerResponse, n: number) => void | Promise<void>

export interface SseServer {
  url: string
  requests: SeenRequest[]
  close(): Promise<void>
}

/** A real HTTP server on a free loopback port that answers each request with `script`. */
export async function startSseServer(script: Script): Promise<SseServer> {
  const requests: SeenRequest[] = []
  const server = createServer((req, res) => {
    const n = requests.length
    requests.push({
      lastEventId: req.headers['last-event-id'] as string | undefined,
      at: performance.now(),
    })
    void Promise.resolve(script(req, res, n)).catch(() => res.destroy())
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/api/jobs/j1/events`,
    requests,
    async close() {
      server.closeAllConnections()
      server.close()
      await once(server, 'close').catch(() => {})
    },
  }
}

/** Starts an event stream answer, with the `retry:` hint the API sends first. */
export function openStream(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  res.write('retry: 1000\n\n')
}

export const frame = (event: ProgressEvent) =>
  formatFrame({ event: event.type, data: JSON.stringify(event), id: event.seq })

/**
 * A job's events 1..`count`: queued, started, then content tokens `t<seq>`; the last one is
 * `job.completed` when `complete` is set.
 */
export function jobEvents(count: number, complete = true): ProgressEvent[] {
  const options = { ...DEFAULT_JOB_OPTIONS }
  const base = (seq: number) => ({ jobId: 'j1', seq, ts: new Date(0).toISOString(), progress: seq })
  return Array.from({ length: count }, (_, i): ProgressEvent => {
    const seq = i + 1
    if (seq === 1) return { ...base(seq), type: 'job.queued', topic: 'tea', options }
    if (seq === 2) return { ...base(seq), type: 'job.started', attempt: 1 }
    if (complete && seq === count) {
      const article = { title: 'Tea', sections: [], markdown: '# Tea', language: 'en' }
      return { ...base(seq), progress: 100, type: 'job.completed', article }
    }
    return { ...base(seq), type: 'token', step: 'content', index: 0, text: `t${seq} ` }
  })
}

/** Writes `events` as frames. */
export function send(res: ServerResponse, events: ProgressEvent[]): void {
  for (const event of events) res.write(frame(event))
}
