import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTokenCoalescer, type TokenRun } from '../../src/events/token-coalescer.js'

describe('the token coalescer', () => {
  let sent: { at: number; text: string }[]
  let start: number
  const coalescer = () =>
    createTokenCoalescer({
      windowMs: 50,
      send: (run: TokenRun) => sent.push({ at: Date.now() - start, text: run.text }),
    })
  beforeEach(() => {
    vi.useFakeTimers()
    start = Date.now()
    sent = []
  })
  afterEach(() => vi.useRealTimers())

  it('sends the first words after a quiet spell at once, then at most one event per window', () => {
    const tokens = coalescer()
    // A real model: 200 ms to the first token, then one every 20 ms.
    vi.advanceTimersByTime(200)
    for (let i = 0; i < 10; i++) {
      tokens.add('content', 0, `w${i} `, 40)
      vi.advanceTimersByTime(20)
    }
    vi.advanceTimersByTime(100)
    expect(sent[0]).toEqual({ at: 200, text: 'w0 ' })
    expect(sent.map((s) => s.text).join('')).toBe('w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 ')
    for (let i = 1; i < sent.length; i++) {
      expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(50)
    }
    expect(sent.length).toBeLessThan(10)
  })

  it('sends a delta at once after the model paused for several windows', () => {
    const tokens = coalescer()
    tokens.add('style', undefined, 'a', 80)
    vi.advanceTimersByTime(4 * 50)
    tokens.add('style', undefined, 'b', 81)
    expect(sent.map((s) => s.text)).toEqual(['a', 'b'])
    expect(sent[1]!.at).toBe(200)
  })

  it('gathers deltas that come late from a busy event loop instead of sending one alone', () => {
    const tokens = coalescer()
    tokens.add('content', 0, 'a', 40)
    // The loop was busy for 120 ms: the model's next deltas all come in its next turn.
    vi.advanceTimersByTime(120)
    for (const text of ['b', 'c', 'd']) tokens.add('content', 0, text, 40)
    expect(sent.map((s) => s.text)).toEqual(['a'])
    vi.advanceTimersByTime(50)
    expect(sent.map((s) => s.text)).toEqual(['a', 'bcd'])
  })

  it('sends the first delta after another event at once when nothing went out for a window', () => {
    const tokens = coalescer()
    tokens.add('content', 0, 'end', 40)
    tokens.markSent() // section.completed, section.started
    vi.advanceTimersByTime(200) // the model's time to first token
    tokens.add('content', 1, 'Start', 50)
    expect(sent.map((s) => s.text)).toEqual(['end', 'Start'])
  })

  it('gathers the first delta when another event of the job went out within the window', () => {
    const tokens = coalescer()
    vi.advanceTimersByTime(100)
    tokens.markSent() // a section.started, say, with the model answering at once
    tokens.add('content', 1, 'fast', 40)
    tokens.add('content', 1, ' model', 40)
    expect(sent).toEqual([])
    vi.advanceTimersByTime(50)
    expect(sent).toEqual([{ at: 150, text: 'fast model' }])
  })

  it('never mixes two sections in one event', () => {
    const tokens = coalescer()
    tokens.add('content', 0, 'end of one', 40)
    tokens.add('content', 0, '.', 40)
    tokens.add('content', 1, 'Start of two', 50)
    tokens.flush()
    expect(sent.map((s) => s.text)).toEqual(['end of one', '.', 'Start of two'])
  })
})
