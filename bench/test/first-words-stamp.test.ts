import { describe, expect, it } from 'vitest'
import { createDechunker } from '../src/sse/dechunker.js'
import { noteFirstWords, readStamp, readTokenFrame } from '../src/sse/first-words-stamp.js'
import { createFrameScanner } from '../src/sse/frame-scanner.js'

// First token frames of one job, as the API sent them in a real run with the stub stamping.
const JOB = '6ca193cd-6b7d-486d-846a-f57596a62d7c'
const OUTLINE = `event: token\ndata: {"type":"token","jobId":"${JOB}","seq":4,"ts":"2026-12-01T15:02:06.751Z","progress":3,"step":"outline","text":"# t=1796137326741.581\\ntitle:"}\nid: 4`
const SECTION_1 = `event: token\ndata: {"type":"token","jobId":"${JOB}","seq":25,"ts":"2026-12-01T15:02:07.762Z","progress":47,"step":"content","index":1,"text":"# t=1796137327710.804\\nThis is the"}\nid: 25`
const SECTION_1_LATER = `event: token\ndata: {"type":"token","jobId":"${JOB}","seq":26,"ts":"2026-12-01T15:02:07.812Z","progress":48,"step":"content","index":1,"text":" stub model"}\nid: 26`
// The style pass rewrites the stamped draft: an old stamp inside, the new one first.
const STYLE = `event: token\ndata: {"type":"token","jobId":"${JOB}","seq":49,"ts":"2026-12-01T15:02:08.925Z","progress":81,"step":"style","text":"# t=1796137328874.755\\n# All about\\n\\n## Origins\\n\\n# t=1796137327166.655\\nThis"}\nid: 49`

describe('readTokenFrame', () => {
  it('names the step, and the section when there is one', () => {
    expect(readTokenFrame(OUTLINE)).toEqual({
      key: 'outline',
      text: '# t=1796137326741.581\ntitle:',
    })
    expect(readTokenFrame(SECTION_1)?.key).toBe('content.1')
    expect(readTokenFrame(STYLE)?.key).toBe('style')
  })

  it('reads a frame without an event line', () => {
    expect(readTokenFrame(OUTLINE.slice('event: token\n'.length))?.key).toBe('outline')
  })

  it('gives nothing for a frame without a step', () => {
    expect(readTokenFrame('event: job.started\ndata: {"type":"job.started","seq":2}\nid: 2')).toBe(
      undefined,
    )
    expect(readTokenFrame(': ping')).toBe(undefined)
  })
})

describe('readStamp', () => {
  it('reads the stamp at the start, to the microsecond', () => {
    expect(readStamp('# t=1796137326741.581\ntitle:')).toBe(1796137326741.581)
    expect(readStamp('# t=1796137326741\nx')).toBe(1796137326741)
  })

  it('ignores a stamp that is not first: an echo of an older answer', () => {
    expect(readStamp('This\n# t=1796137327166.655\nThis')).toBeNaN()
    expect(readStamp(' # t=1796137327166.655\n')).toBeNaN()
    expect(readStamp('# t=1796137326741 title:')).toBeNaN() // no line end: not the stub's
  })
})

describe('noteFirstWords', () => {
  it('times the first frame of each key only, off the wire in pieces', () => {
    const frames = [OUTLINE, SECTION_1, SECTION_1_LATER, STYLE]
    const body = frames.map((f) => `${f}\n\n`).join('')
    const wire = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`
    const lags: Record<string, number | null> = {}
    const arrivedAt = 1796137330000
    const scanner = createFrameScanner((frame) => noteFirstWords(lags, frame.text, arrivedAt))
    const dechunker = createDechunker((payload) => scanner.feed(payload))
    for (let i = 0; i < wire.length; i += 5) dechunker.feed(wire.slice(i, i + 5))
    expect(Object.keys(lags)).toEqual(['outline', 'content.1', 'style'])
    expect(lags.outline).toBeCloseTo(arrivedAt - 1796137326741.581, 3)
    expect(lags['content.1']).toBeCloseTo(arrivedAt - 1796137327710.804, 3)
    expect(lags.style).toBeCloseTo(arrivedAt - 1796137328874.755, 3)
  })

  it('marks a key unmeasured when its first frame has no stamp or was replayed', () => {
    const lags: Record<string, number | null> = {}
    noteFirstWords(lags, SECTION_1_LATER, 1796137330000)
    noteFirstWords(lags, OUTLINE, Number.NaN)
    // A later stamped frame does not stand in for the first.
    noteFirstWords(lags, SECTION_1, 1796137330000)
    expect(lags).toEqual({ 'content.1': null, outline: null })
  })
})
