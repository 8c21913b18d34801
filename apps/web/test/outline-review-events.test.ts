import { DEFAULT_JOB_OPTIONS, type JobOptions } from '@inkflow/shared'
import { describe, expect, it } from 'vitest'
import { createJobSnapshots } from '../src/lib/state/job-snapshot.js'
import { emptyJobView } from '../src/lib/state/job-view.js'
import { type EventBody, fold } from './helpers/fold-events.js'
import { memoryStorage } from './helpers/memory-storage.js'

const EXPIRES = '2026-12-02T18:00:00.000Z'
const options: JobOptions = {
  ...DEFAULT_JOB_OPTIONS,
  tone: 'playful',
  length: 'short',
  reviewOutline: true,
}

/** A job started with `reviewOutline`, up to its wait for the review. */
const proposed: EventBody[] = [
  { type: 'job.queued', progress: 0, topic: 'The history of tea', options },
  { type: 'job.started', progress: 0, attempt: 1 },
  { type: 'step.started', progress: 0, step: 'outline' },
  { type: 'outline.ready', progress: 30, title: 'Tea', sections: ['Origins', 'Trade', 'Today'] },
  { type: 'step.completed', progress: 30, step: 'outline' },
  { type: 'job.waiting', progress: 30, for: 'outline', expiresAt: EXPIRES },
]
/** …then approved with edits, and written to the end. */
const written: EventBody[] = [
  {
    type: 'outline.approved',
    progress: 30,
    title: 'A short history of tea',
    sections: ['Beginnings', 'Trade', 'Today'],
    edited: true,
  },
  { type: 'job.started', progress: 30, attempt: 1 },
  { type: 'step.started', progress: 30, step: 'content' },
  ...['Beginnings', 'Trade', 'Today'].flatMap((title, index): EventBody[] => [
    { type: 'section.started', progress: 40, index, title },
    { type: 'token', progress: 45, step: 'content', index, text: `About ${title}.` },
    { type: 'section.completed', progress: 50, index, title, content: `About ${title}.` },
  ]),
  { type: 'step.completed', progress: 80, step: 'content' },
  { type: 'step.started', progress: 80, step: 'style' },
  {
    type: 'token',
    progress: 90,
    step: 'style',
    text: '# A short history of tea\n\n## Beginnings\n\nAbout.',
  },
  { type: 'step.completed', progress: 100, step: 'style' },
  {
    type: 'job.completed',
    progress: 100,
    article: {
      title: 'A short history of tea',
      sections: [{ title: 'Beginnings', content: 'About.' }],
      markdown: '# A short history of tea\n\n## Beginnings\n\nAbout.',
      language: 'en',
    },
  },
]

describe('applyEvent: the outline review', () => {
  it('keeps the options, and waits with the proposal once job.waiting comes', () => {
    const view = fold(proposed)
    expect(view.options).toEqual(options)
    expect(view.status).toBe('waiting')
    expect(view.review).toEqual({ state: 'waiting', expiresAt: EXPIRES })
    expect(view.title).toBe('Tea')
    expect(view.sections.map((s) => [s.title, s.state])).toEqual([
      ['Origins', 'pending'],
      ['Trade', 'pending'],
      ['Today', 'pending'],
    ])
    expect(view.steps).toEqual({
      outline: 'done',
      content: 'pending',
      style: 'pending',
      revise: 'pending',
    })
    expect(view.progress).toBe(30)
  })

  it('replaces the proposal with the approved outline, then writes that one', () => {
    const approved = fold(written.slice(0, 1), fold(proposed))
    expect(approved.review).toEqual({ state: 'approved', edited: true })
    expect(approved.status).toBe('queued')
    expect(approved.title).toBe('A short history of tea')
    expect(approved.sections.map((s) => s.title)).toEqual(['Beginnings', 'Trade', 'Today'])
    const running = fold(written.slice(1, 3), approved)
    expect(running.status).toBe('running')
    expect(running.steps.content).toBe('active')
  })

  it('runs a job that goes on without job.started after the approval', () => {
    const view = fold([written[0]!, written[2]!], fold(proposed))
    expect(view.status).toBe('running')
  })

  it('keeps the reason of a cancellation, the expired review included', () => {
    const expired = fold(
      [{ type: 'job.cancelled', progress: 30, reason: 'outline review expired' }],
      fold(proposed),
    )
    expect(expired).toMatchObject({ status: 'cancelled', cancelReason: 'outline review expired' })
    expect(expired.activity).toBe('Cancelled: outline review expired')
    expect(fold([{ type: 'job.cancelled', progress: 30 }], fold(proposed)).cancelReason).toBeNull()
  })

  it('gives the same view after any replay: from scratch, or from a saved snapshot at any seq', () => {
    const log = [...proposed, ...written]
    const whole = fold(log)
    const snapshots = createJobSnapshots(memoryStorage())
    for (let cut = 1; cut < log.length; cut++) {
      snapshots.save(fold(log.slice(0, cut)))
      const saved = snapshots.load('j')
      expect(saved?.lastSeq, `a snapshot at seq ${cut} is read back`).toBe(cut)
      expect(fold(log.slice(cut), saved), `resumed after seq ${cut}`).toEqual(whole)
    }
    expect(fold(log)).toEqual(whole)
  })

  it('leaves review null for a job that asked for none, and an old snapshot is not read', () => {
    expect(fold(proposed.slice(0, 5)).review).toBeNull()
    const { review: _, options: __, cancelReason: ___, ...old } = emptyJobView('j')
    const storage = { getItem: () => JSON.stringify({ ...old, lastSeq: 3 }), setItem() {} }
    expect(createJobSnapshots(storage as unknown as Storage).load('j')).toBeUndefined()
  })
})
