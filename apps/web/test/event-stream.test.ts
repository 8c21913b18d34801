import './helpers/browser-globals.js'
import type { ProgressEvent } from '@inkflow/shared'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type FollowOptions,
  followJobEvents,
  type StreamState,
} from '../src/lib/api/event-stream.js'
import type { InvalidFrameError } from '../src/lib/api/stream-error.js'
import {
  jobEvents,
  openStream,
  type Script,
  type SseServer,
  send,
  startSseServer,
} from './helpers/sse-server.js'

let server: SseServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** Follows `script`'s stream, recording what the client delivers. */
async function follow(script: Script, options: Partial<FollowOptions> = {}) {
  server = await startSseServer(script)
  const events: ProgressEvent[] = []
  const states: StreamState[] = []
  const invalid: InvalidFrameError[] = []
  const stream = followJobEvents({
    url: server.url,
    onEvent: (e) => events.push(e),
    onState: (s) => states.push(s),
    onInvalid: (e) => invalid.push(e),
    network: new EventTarget(),
    backoff: { baseMs: 20, maxMs: 100 },
    ...options,
  })
  return { stream, events, states, invalid, server }
}

const seqs = (events: ProgressEvent[]) => events.map((e) => e.seq)
const all = jobEvents(6)

describe('followJobEvents', () => {
  it('reconnects with Last-Event-ID when the response ends before the terminal event', async () => {
    const { stream, events, server } = await follow((_req, res, n) => {
      openStream(res)
      send(res, n === 0 ? all.slice(0, 3) : all.slice(3))
      res.end()
    })
    expect(await stream.finished).toEqual({ kind: 'done' })
    expect(seqs(events)).toEqual([1, 2, 3, 4, 5, 6])
    expect(server.requests.map((r) => r.lastEventId)).toEqual([undefined, '3'])
  })

  it('resumes after the seq it was given', async () => {
    const { stream, events, server } = await follow(
      (_req, res) => {
        openStream(res)
        send(res, all.slice(4))
        res.end()
      },
      { lastSeq: 4 },
    )
    await stream.finished
    expect(seqs(events)).toEqual([5, 6])
    expect(server.requests[0]?.lastEventId).toBe('4')
  })

  it('applies each seq at most once when a replay overlaps what it has', async () => {
    const { stream, events } = await follow((_req, res, n) => {
      openStream(res)
      // The second answer ignores Last-Event-ID and starts over, repeating 1..4.
      send(res, n === 0 ? all.slice(0, 4) : all)
      if (n === 0) send(res, all.slice(2, 3)) // and a stray repeat within one response
      res.end()
    })
    await stream.finished
    expect(seqs(events)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('ignores heartbeats and reports bad frames without applying them', async () => {
    const { stream, events, invalid } = await follow((_req, res) => {
      openStream(res)
      send(res, all.slice(0, 2))
      res.write(': ping\n\n')
      res.write('event: token\ndata: {not json\nid: 3\n\n')
      res.write(`event: token\ndata: ${JSON.stringify({ type: 'token', seq: 3 })}\nid: 3\n\n`)
      res.write(': ping\n\n')
      send(res, all.slice(2))
      res.end()
    })
    await stream.finished
    expect(seqs(events)).toEqual([1, 2, 3, 4, 5, 6])
    expect(invalid.map((e) => e.message)).toEqual([
      'the frame is not JSON',
      expect.stringMatching(/^invalid event/),
    ])
  })

  it('stops after the terminal event even if the server keeps the response open', async () => {
    const { stream, events, server } = await follow((_req, res) => {
      openStream(res)
      send(res, all) // and never end
    })
    expect(await stream.finished).toEqual({ kind: 'done' })
    expect(seqs(events)).toEqual([1, 2, 3, 4, 5, 6])
    expect(server.requests).toHaveLength(1)
  })

  it('gives up at once on 404 and says the job is not found', async () => {
    const { stream, server, states } = await follow((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/problem+json' })
      res.end(JSON.stringify({ type: 'about:blank', title: 'Job not found', status: 404 }))
    })
    expect(await stream.finished).toEqual({ kind: 'not-found' })
    // Long enough for several retries at this backoff (20–100 ms) had there been any.
    await new Promise((r) => setTimeout(r, 400))
    expect(server.requests).toHaveLength(1)
    expect(states.some((s) => s.kind === 'waiting')).toBe(false)
  })
})
