import { DEFAULT_JOB_OPTIONS, type ProgressEvent } from '@inkflow/shared'
import { describe, expect, it } from 'vitest'
import { applyEvent } from '../src/lib/state/apply-event.js'
import { emptyJobView } from '../src/lib/state/job-view.js'

type Body<E = ProgressEvent> = E extends unknown ? Omit<E, 'jobId' | 'seq' | 'ts'> : never

/** Folds `bodies` into a fresh view, numbering them 1, 2, 3… */
function fold(bodies: Body[]) {
  const view = emptyJobView('j')
  for (const [i, body] of bodies.entries()) {
    const stamped = { ...body, jobId: 'j', seq: i + 1, ts: new Date(0).toISOString() }
    applyEvent(view, stamped as ProgressEvent)
  }
  return view
}

const outline: Body[] = [
  { type: 'job.queued', progress: 0, topic: 'tea', options: { ...DEFAULT_JOB_OPTIONS } },
  { type: 'job.started', progress: 0, attempt: 1 },
  { type: 'step.started', progress: 0, step: 'outline' },
  { type: 'outline.ready', progress: 30, title: 'Tea', sections: ['A', 'B'] },
  { type: 'step.completed', progress: 30, step: 'outline' },
  { type: 'step.started', progress: 30, step: 'content' },
]

describe('applyEvent', () => {
  it('grows a section from its tokens and marks the steps', () => {
    const view = fold([
      ...outline,
      { type: 'section.started', progress: 30, index: 0, title: 'A' },
      { type: 'token', progress: 35, step: 'content', index: 0, text: 'Hello' },
      { type: 'token', progress: 40, step: 'content', index: 0, text: ' world' },
    ])
    expect(view.sections.map((s) => [s.title, s.state, s.text])).toEqual([
      ['A', 'writing', 'Hello world'],
      ['B', 'pending', ''],
    ])
    expect(view.steps).toEqual({
      outline: 'done',
      content: 'active',
      style: 'pending',
      revise: 'pending',
    })
    expect(view).toMatchObject({ topic: 'tea', title: 'Tea', progress: 40, lastSeq: 9 })
  })

  it('starts a section over when section.started repeats (a retry or a resume)', () => {
    const view = fold([
      ...outline,
      { type: 'section.started', progress: 30, index: 0, title: 'A' },
      { type: 'token', progress: 35, step: 'content', index: 0, text: 'half a sen' },
      { type: 'job.started', progress: 35, attempt: 2 },
      { type: 'section.started', progress: 35, index: 0, title: 'A' },
      { type: 'token', progress: 38, step: 'content', index: 0, text: 'Whole.' },
    ])
    expect(view.sections[0]?.text).toBe('Whole.')
    expect(view.attempt).toBe(2)
    expect(view.activity).toContain('Writing')
  })

  it('starts the polished text fresh with the style step and never lowers progress', () => {
    const view = fold([
      ...outline,
      { type: 'step.started', progress: 80, step: 'style' },
      { type: 'token', progress: 90, step: 'style', text: 'old' },
      { type: 'step.started', progress: 80, step: 'style' },
      { type: 'token', progress: 85, step: 'style', text: 'new' },
    ])
    expect(view.polished).toBe('new')
    expect(view.progress).toBe(90)
  })

  it('ends with the article, the error or the cancellation', () => {
    const article = { title: 'Tea', sections: [], markdown: '# Tea', language: 'en' }
    expect(fold([...outline, { type: 'job.completed', progress: 100, article }])).toMatchObject({
      status: 'completed',
      article,
      steps: { outline: 'done', content: 'done', style: 'done' },
    })
    const error = { code: 'llm', message: 'the model is down', retryable: false }
    expect(fold([...outline, { type: 'job.failed', progress: 30, error }])).toMatchObject({
      status: 'failed',
      error,
    })
    expect(fold([...outline, { type: 'job.cancelled', progress: 30 }]).status).toBe('cancelled')
  })

  it('leaves nothing "writing" or "active" once a job is cancelled or fails mid-section', () => {
    const writing: Body[] = [
      ...outline,
      { type: 'section.started', progress: 30, index: 0, title: 'Origins' },
      { type: 'token', progress: 31, step: 'content', index: 0, text: 'Tea began' },
    ]
    const error = { code: 'llm', message: 'down', retryable: false }
    const ends: Body[] = [
      { type: 'job.cancelled', progress: 31 },
      { type: 'job.failed', progress: 31, error },
    ]
    for (const end of ends) {
      const view = fold([...writing, end])
      expect(view.steps).toEqual({
        outline: 'done',
        content: 'stopped',
        style: 'pending',
        revise: 'pending',
      })
      expect(view.sections[0]).toEqual({ title: 'Origins', state: 'stopped', text: 'Tea began' })
      expect(view.sections.map((s) => s.state)).not.toContain('writing')
    }
  })
})
