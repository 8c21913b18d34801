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
        options: {
          tone: 'playful',
          length: 'short',
          audience: 'nurses',
          language: 'fr',
          reviewOutline: true,
        },
      },
      {
        ...base,
        type: 'job.queued',
        topic: 'tea',
        options: {
          tone: 'playful',
          length: 'short',
          audience: '',
          language: 'pt-BR',
          reviewOutline: false,
        },
        revisionOf: { jobId: 'j0', section: 1, instruction: 'shorter' },
      },
      { ...base, type: 'step.started', step: 'revise' },
      { ...base, type: 'token', step: 'revise', index: 1, text: 'Sh' },
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
        article: {
          title: 'Tea',
          sections: [{ title: 'a', content: 'b' }],
          markdown: '# Tea',
          language: 'en',
        },
        usage: {
          promptTokens: 1,
          completionTokens: 2,
          totalTokens: 3,
          estimated: false,
          cost: 0.5,
        },
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

  it('reads an article and options written before languages as English', () => {
    const old = ProgressEventSchema.parse({
      ...base,
      type: 'job.completed',
      article: { title: 'Tea', sections: [], markdown: '# Tea' },
    })
    expect(old.type === 'job.completed' && old.article.language).toBe('en')
    const queued = ProgressEventSchema.parse({
      ...base,
      type: 'job.queued',
      topic: 'tea',
      options: { tone: 'playful', length: 'short', audience: '', reviewOutline: false },
    })
    expect(queued.type === 'job.queued' && queued.options.language).toBe('en')
  })

  it('knows which events end a stream', () => {
    expect(isTerminalEvent({ type: 'job.completed' })).toBe(true)
    expect(isTerminalEvent({ type: 'job.failed' })).toBe(true)
    expect(isTerminalEvent({ type: 'job.cancelled' })).toBe(true)
    expect(isTerminalEvent({ type: 'token' })).toBe(false)
  })
})
