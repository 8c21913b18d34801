import { describe, expect, it } from 'vitest'
import { emptyJobView } from '../src/lib/state/job-view.js'
import { revisionParts } from '../src/lib/state/revision-parts.js'
import { type EventBody, fold } from './helpers/fold-events.js'

const options = {
  tone: 'conversational',
  length: 'short',
  audience: '',
  language: 'en',
  reviewOutline: false,
} as const
const revisionOf = { jobId: 'v1', section: 1, instruction: 'shorter, with one example' }
const v1 = {
  title: 'Tea',
  markdown: '# Tea\n\n## Origins\n\nLeaves in China.\n\n## Trade\n\nShips, ports and a long story.',
  sections: [],
  language: 'en',
}

const queued: EventBody[] = [
  { type: 'job.queued', progress: 0, topic: 'tea', options, revisionOf },
  { type: 'job.started', progress: 0, attempt: 1 },
  { type: 'step.started', progress: 0, step: 'revise' },
  { type: 'section.started', progress: 5, index: 1, title: 'Trade' },
  { type: 'token', progress: 40, step: 'revise', index: 1, text: 'Ships ' },
]

describe('applyEvent: a revision job', () => {
  it('streams the rewritten section alone, with the one step revise', () => {
    const view = fold(queued)
    expect(view.revisionOf).toEqual(revisionOf)
    expect(view.revision).toEqual({ index: 1, title: 'Trade', state: 'writing', text: 'Ships ' })
    expect(view.sections).toEqual([])
    expect(view.steps).toEqual({
      outline: 'pending',
      content: 'pending',
      style: 'pending',
      revise: 'active',
    })
  })

  it('ends with the whole revised article and its usage', () => {
    const article = {
      ...v1,
      markdown: v1.markdown.replace('Ships, ports and a long story.', 'Ships.'),
    }
    const usage = { promptTokens: 10, completionTokens: 2, totalTokens: 12, estimated: true }
    const view = fold([
      ...queued,
      { type: 'token', progress: 80, step: 'revise', index: 1, text: 'and ports.' },
      {
        type: 'section.completed',
        progress: 90,
        index: 1,
        title: 'Trade',
        content: 'Ships and ports.',
      },
      { type: 'step.completed', progress: 95, step: 'revise' },
      { type: 'job.completed', progress: 100, article, usage },
    ])
    expect(view.revision?.state).toBe('done')
    expect(view.revision?.text).toBe('Ships and ports.')
    expect(view).toMatchObject({ status: 'completed', article, usage })
    expect(view.steps.revise).toBe('done')
    expect(view.steps.content).toBe('pending')
  })

  it('starts the section over when section.started repeats, and stops it on a failure', () => {
    const again = fold([
      ...queued,
      { type: 'section.started', progress: 5, index: 1, title: 'Trade' },
    ])
    expect(again.revision?.text).toBe('')
    const failed = fold([
      ...queued,
      { type: 'job.failed', progress: 40, error: { code: 'x', message: 'no', retryable: false } },
    ])
    expect(failed.revision?.state).toBe('stopped')
    expect(failed.steps.revise).toBe('stopped')
  })
})

describe('revisionParts', () => {
  it('shows the revised version, the section being rewritten with its previous text', () => {
    const parts = revisionParts(v1, fold(queued))
    expect(parts.title).toBe('Tea')
    expect(parts.sections.map((s) => s.state)).toEqual(['polished', 'revising'])
    expect(parts.sections[0]?.polished).toBe('Leaves in China.')
    expect(parts.sections[1]).toMatchObject({
      title: 'Trade',
      polished: 'Ships ',
      draft: 'Ships, ports and a long story.',
    })
  })

  it('keeps the previous text of a rewrite that stopped, and shows a finished one alone', () => {
    const failure = { code: 'x', message: 'no', retryable: false }
    const stopped = revisionParts(
      v1,
      fold([...queued, { type: 'job.failed', progress: 40, error: failure }]),
    )
    expect(stopped.sections[1]).toMatchObject({
      state: 'polished',
      polished: 'Ships, ports and a long story.',
    })
    const done = revisionParts(
      v1,
      fold([
        ...queued,
        { type: 'section.completed', progress: 90, index: 1, title: 'Trade', content: 'Ships.' },
      ]),
    )
    expect(done.sections[1]).toMatchObject({ state: 'polished', polished: 'Ships ', draft: null })
  })

  it('shows the revised version as it is until the rewrite begins', () => {
    const parts = revisionParts(v1, fold(queued.slice(0, 3), emptyJobView('j')))
    expect(parts.sections.map((s) => s.state)).toEqual(['polished', 'polished'])
  })
})
