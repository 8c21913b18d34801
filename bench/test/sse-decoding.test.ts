import { describe, expect, it } from 'vitest'
import { createDechunker } from '../src/sse/dechunker.js'
import { createFrameScanner, parseTimestamp, type ScannedFrame } from '../src/sse/frame-scanner.js'

const frame = (seq: number, type = 'token') =>
  `event: ${type}\ndata: {"type":"${type}","jobId":"j","seq":${seq},"ts":"2026-11-20T10:00:00.00${seq}Z","progress":0}\nid: ${seq}\n\n`

/** Chunked encoding of `pieces`, one chunk each, then the terminating chunk. */
const chunked = (pieces: string[]) =>
  `${pieces.map((p) => `${p.length.toString(16)}\r\n${p}\r\n`).join('')}0\r\n\r\n`

function decode(wire: string, cut: number) {
  const frames: ScannedFrame[] = []
  const scanner = createFrameScanner((f) => frames.push(f))
  const body = createDechunker((payload) => scanner.feed(payload))
  // Feed in pieces of `cut` bytes, so chunk headers and frames straddle reads.
  for (let i = 0; i < wire.length; i += cut) body.feed(wire.slice(i, i + cut))
  return { frames, ended: body.ended }
}

describe('SSE decoding', () => {
  const wire = chunked([
    'retry: 1000\n\n',
    frame(1),
    ': ping\n\n',
    frame(2) + frame(3, 'job.completed'),
  ])

  it.each([1, 3, 7, 64, 4096])('counts every event frame whatever the read size (%i)', (cut) => {
    const { frames, ended } = decode(wire, cut)
    expect(frames.map((f) => f.seq)).toEqual([1, 2, 3])
    expect(frames.map((f) => f.type)).toEqual(['token', 'token', 'job.completed'])
    expect(frames[1]!.tsMs).toBe(Date.parse('2026-11-20T10:00:00.002Z'))
    expect(frames[0]!.bytes).toBe(frame(1).length)
    expect(ended).toBe(true)
  })

  it('reads the first token stamp of a token frame, and none elsewhere', () => {
    const stamped = (type: string, text: string, step = 'content') =>
      `event: ${type}\ndata: {"type":"${type}","seq":1,"ts":"2026-11-20T10:00:00.000Z","step":"${step}","text":"${text}"}\nid: 1\n\n`
    const { frames } = decode(
      chunked([
        stamped('token', ' one[t=1763632800123] two[t=1763632800150]'),
        stamped('token', ' plain'),
        stamped('token', ' restyled[t=1763632800123]', 'style'),
        stamped('section.completed', ' one[t=1763632800123]'),
      ]),
      5,
    )
    expect(frames.map((f) => f.stampMs)).toEqual([1763632800123, NaN, NaN, NaN])
  })

  it('skips comments and the retry hint', () => {
    expect(decode(chunked(['retry: 5\n\n: ping\n\n']), 5).frames).toEqual([])
  })

  it('rejects a malformed chunk size', () => {
    expect(() => decode('zz\r\nabc\r\n', 100)).toThrow(/chunk size/)
  })

  it('reads timestamps as Date.parse does, across days, years and odd forms', () => {
    const samples = [
      '2026-11-20T10:00:00.002Z',
      '2026-11-20T23:59:59.999Z',
      '2026-11-21T00:00:00.000Z',
      '2027-01-01T00:00:00.001Z',
      '2024-02-29T12:34:56.789Z',
      '2026-11-20T10:00:00Z',
      '2026-11-20T10:00:00.000+01:00',
      'not a time',
    ]
    for (let t = 1_700_000_000_000; t < 1_700_000_000_000 + 400 * 86_400_000; t += 7_777_777) {
      samples.push(new Date(t).toISOString())
    }
    for (const text of samples) expect(parseTimestamp(text), text).toEqual(Date.parse(text))
  })
})
