import './helpers/browser-globals.js'
import { afterEach, describe, expect, it } from 'vitest'
import { followJobEvents, type StreamState } from '../src/lib/api/event-stream.js'
import {
  jobEvents,
  openStream,
  type SseServer,
  send,
  startSseServer,
} from './helpers/sse-server.js'

let server: SseServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const events = jobEvents(4)
const until = async (check: () => boolean, timeoutMs = 5000) => {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('reconnect timing', () => {
  it('backs off exponentially, with jitter, while the server keeps failing', async () => {
    server = await startSseServer((_req, res, n) => {
      if (n < 4) {
        res.writeHead(503, { 'content-type': 'application/problem+json' })
        return void res.end('{}')
      }
      openStream(res)
      send(res, events)
      res.end()
    })
    const waits: number[] = []
    const stream = followJobEvents({
      url: server.url,
      onEvent: () => {},
      onState: (s) => s.kind === 'waiting' && waits.push(s.delayMs),
      network: new EventTarget(),
      backoff: { baseMs: 100, maxMs: 600, random: () => 1 },
    })
    expect(await stream.finished).toEqual({ kind: 'done' })
    // random 1 is the top of the ±25 % band: 125, 250, 500, then the 600 ms cap.
    expect(waits).toEqual([125, 250, 500, 600])
    const gaps = server.requests.slice(1).map((r, i) => r.at - server!.requests[i]!.at)
    for (const [i, gap] of gaps.entries()) expect(gap).toBeGreaterThanOrEqual(waits[i]! - 5)
  })

  it('retries at once when the browser comes back online', async () => {
    server = await startSseServer((_req, res, n) => {
      if (n === 0) return void res.destroy() // a dropped connection
      openStream(res)
      send(res, events)
      res.end()
    })
    const network = new EventTarget()
    let state: StreamState | undefined
    const stream = followJobEvents({
      url: server.url,
      onEvent: () => {},
      onState: (s) => (state = s),
      network,
      backoff: { baseMs: 20_000, maxMs: 20_000 },
    })
    await until(() => state?.kind === 'waiting')
    const before = performance.now()
    network.dispatchEvent(new Event('online'))
    expect(await stream.finished).toEqual({ kind: 'done' })
    expect(server.requests).toHaveLength(2)
    expect(server.requests[1]!.at - before).toBeLessThan(2000)
  })

  it('drops the connection when the browser goes offline, and resumes after the last seq', async () => {
    server = await startSseServer((_req, res, n) => {
      openStream(res)
      send(res, n === 0 ? events.slice(0, 2) : events.slice(2)) // the first answer then hangs
      if (n > 0) res.end()
    })
    const network = new EventTarget()
    const seen: number[] = []
    const stream = followJobEvents({
      url: server.url,
      onEvent: (e) => seen.push(e.seq),
      network,
      backoff: { baseMs: 20, maxMs: 50 },
    })
    await until(() => seen.length === 2)
    network.dispatchEvent(new Event('offline'))
    expect(await stream.finished).toEqual({ kind: 'done' })
    expect(seen).toEqual([1, 2, 3, 4])
    expect(server.requests[1]?.lastEventId).toBe('2')
  })

  it('drops a connection that stays silent past the idle timeout', async () => {
    server = await startSseServer((_req, res, n) => {
      openStream(res)
      if (n === 0) return // silent: no events, no heartbeat
      send(res, events)
      res.end()
    })
    const stream = followJobEvents({
      url: server.url,
      onEvent: () => {},
      network: new EventTarget(),
      idleTimeoutMs: 300,
      backoff: { baseMs: 20, maxMs: 50 },
    })
    expect(await stream.finished).toEqual({ kind: 'done' })
    expect(server.requests).toHaveLength(2)
  })
})
