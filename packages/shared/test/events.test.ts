import { describe, expect, it } from 'vitest'
import { isTerminalEvent, ProgressEventSchema } from '../src/events.js'

const base = { jobId: 'j1', seq: 1, ts: '2026-11-20T10:00:00.000Z', progress: 0 }

describe('ProgressEventSchema', () => {
  it('accepts each event type with its own fields', () => {
    const events = [
      {
        ...base,
        type: 'job.queued',
        topic: 'tea',
        options: { tone: 'playful', length: 'short', audience: 'nurses', reviewOutline: true },
      },
      { ...base, type: 'job.started', attempt: 1 },
      { ...base, type: 'step.started', step: 'outline' },
      { ...base, type: 'outline.ready', title: 'Tea', sections: ['a', 'b', 'c'] },
      { ...base, type: 'job.waiting', for: 'outline', expiresAt: '2026-11-21T10:00:00.000Z' },
      { ...base, type: 'outline.approved', title: 'Tea', sections: ['c', 'a'], edited: true },
      { ...base, type: 'section.started', index: 0, title: 'a' },
      { ...base, type: 'token', step: 'content', index: 0, text: 'Hel' },
      { ...base, type: 'token', step: 'style', text: 'lo' },
      { ...base, type: 'section.completed', index: 0, title: 'a', content: 'Hello' },
      { ...base, type: 'step.completed', step: 'content' },
      { ...base, type: 'job.retrying', attempt: 2, delayMs: 500, reason: 'rate limited' },
      {
        ...base,
        type: 'job.completed',
        article: { title: 'Tea', sections: [{ title: 'a', content: 'b' }], markdown: '# Tea' },
      },
      {
        ...base,
        type: 'job.failed',
        error: { code: 'llm_unavailable', message: 'x', retryable: true },
      },
      { ...base, type: 'job.cancelled' },
    ]
    for (const e of events) expect(ProgressEventSchema.parse(e)).toEqual(e)
  })

  it('rejects an unknown type, a missing field and a bad seq', () => {
    expect(ProgressEventSchema.safeParse({ ...base, type: 'job.exploded' }).success).toBe(false)
    expect(
      ProgressEventSchema.safeParse({ ...base, type: 'section.started', index: 0 }).success,
    ).toBe(false)
    expect(ProgressEventSchema.safeParse({ ...base, seq: 0, type: 'job.cancelled' }).success).toBe(
      false,
    )
    expect(
      ProgressEventSchema.safeParse({ ...base, progress: 101, type: 'job.cancelled' }).success,
    ).toBe(false)
  })

  it('knows which events end a stream', () => {
    expect(isTerminalEvent({ type: 'job.completed' })).toBe(true)
    expect(isTerminalEvent({ type: 'job.failed' })).toBe(true)
    expect(isTerminalEvent({ type: 'job.cancelled' })).toBe(true)
    expect(isTerminalEvent({ type: 'token' })).toBe(false)
  })
})
