import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createJobEmitter } from '../../src/events/job-emitter.js'
import { createMemoryEventLog } from '../../src/store/memory/memory-event-log.js'

/** How the job emitter gathers a model's deltas into `token` events, on a fake clock. */
describe('the job emitter gathering tokens', () => {
  let start: number
  let log: ReturnType<typeof createMemoryEventLog>
  const emitter = () => createJobEmitter({ jobId: 'j', log, coalesceMs: 50 })
  /** The `token` events in the log: when each was made (ms since the test began) and its text. */
  const sent = async () => {
    await vi.advanceTimersByTimeAsync(0) // appends run on promises
    return (await log.read('j', 0)).flatMap((e) =>
      e.type === 'token' ? [{ at: Date.parse(e.ts) - start, text: e.text }] : [],
    )
  }
  const texts = async () => (await sent()).map((s) => s.text)

  beforeEach(() => {
    vi.useFakeTimers()
    start = Date.now()
    log = createMemoryEventLog()
  })
  afterEach(() => vi.useRealTimers())

  it('sends the first words after a quiet spell at once, then at most one event per window', async () => {
    const tokens = emitter()
    // A real model: 200 ms to the first token, then one every 20 ms.
    await vi.advanceTimersByTimeAsync(200)
    for (let i = 0; i < 10; i++) {
      tokens.token('content', 0, `w${i} `, 40)
      await vi.advanceTimersByTimeAsync(20)
    }
    await vi.advanceTimersByTimeAsync(100)
    const events = await sent()
    expect(events[0]).toEqual({ at: 200, text: 'w0 ' })
    expect(events.map((s) => s.text).join('')).toBe('w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 ')
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.at - events[i - 1]!.at).toBeGreaterThanOrEqual(50)
    }
    expect(events.length).toBeLessThan(10)
  })

  it('sends a delta at once after the model paused for several windows', async () => {
    const tokens = emitter()
    tokens.token('style', undefined, 'a', 80)
    await vi.advanceTimersByTimeAsync(4 * 50)
    tokens.token('style', undefined, 'b', 81)
    const events = await sent()
    expect(events.map((s) => s.text)).toEqual(['a', 'b'])
    expect(events[1]!.at).toBe(200)
  })

  it('gathers deltas that come late from a busy event loop instead of sending one alone', async () => {
    const tokens = emitter()
    tokens.token('content', 0, 'a', 40)
    // The loop was busy for 120 ms: the model's next deltas all come in its next turn.
    vi.advanceTimersByTime(120)
    for (const text of ['b', 'c', 'd']) tokens.token('content', 0, text, 40)
    expect(await texts()).toEqual(['a'])
    await vi.advanceTimersByTimeAsync(50)
    expect(await texts()).toEqual(['a', 'bcd'])
  })

  it('sends the first delta after another event at once when nothing went out for a window', async () => {
    const tokens = emitter()
    tokens.token('content', 0, 'end', 40)
    tokens.emitLater({ type: 'section.started', index: 1, title: 'Two' }, 50)
    await vi.advanceTimersByTimeAsync(200) // the model's time to first token
    tokens.token('content', 1, 'Start', 50)
    expect(await sent()).toEqual([
      { at: 0, text: 'end' },
      { at: 200, text: 'Start' },
    ])
  })

  it('gathers the first delta when another event of the job went out within the window', async () => {
    const tokens = emitter()
    await vi.advanceTimersByTimeAsync(100)
    // A section.started, say, with the model answering at once.
    tokens.emitLater({ type: 'section.started', index: 1, title: 'Two' }, 50)
    tokens.token('content', 1, 'fast', 50)
    tokens.token('content', 1, ' model', 50)
    expect(await sent()).toEqual([])
    await vi.advanceTimersByTimeAsync(50)
    expect(await sent()).toEqual([{ at: 150, text: 'fast model' }])
  })

  it('never mixes two sections in one event', async () => {
    const tokens = emitter()
    tokens.token('content', 0, 'end of one', 40)
    tokens.token('content', 0, '.', 40)
    tokens.token('content', 1, 'Start of two', 50)
    await tokens.flush()
    expect(await texts()).toEqual(['end of one', '.', 'Start of two'])
  })
})
