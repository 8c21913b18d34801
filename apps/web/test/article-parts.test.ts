import { DEFAULT_JOB_OPTIONS } from '@inkflow/shared'
import { describe, expect, it } from 'vitest'
import { articleParts } from '../src/lib/state/article-parts.js'
import { type EventBody, fold } from './helpers/fold-events.js'
import { tokenize } from './helpers/sample-markdown.js'

const DRAFT = ['Draft of A.', 'Draft of B.', 'Draft of C.']
const POLISHED =
  '# Tea\n\nHello.\n\n## A\n\nPolished A.\n\n## B\n\nPolished B.\n\n## C\n\nPolished C.\n'

const written: EventBody[] = [
  { type: 'job.queued', progress: 0, topic: 'tea', options: { ...DEFAULT_JOB_OPTIONS } },
  { type: 'job.started', progress: 0, attempt: 1 },
  { type: 'step.started', progress: 0, step: 'outline' },
  { type: 'outline.ready', progress: 30, title: 'Tea', sections: ['A', 'B', 'C'] },
  { type: 'step.started', progress: 30, step: 'content' },
  ...DRAFT.flatMap((text, index): EventBody[] => [
    { type: 'section.started', progress: 40, index, title: 'ABC'[index]! },
    { type: 'token', progress: 50, step: 'content', index, text },
    { type: 'section.completed', progress: 60, index, title: 'ABC'[index]!, content: text },
  ]),
  { type: 'step.completed', progress: 80, step: 'content' },
]
const styleTokens = (text: string): EventBody[] =>
  tokenize(text).map((t) => ({ type: 'token', progress: 90, step: 'style', text: t }))

const shown = (view: Parameters<typeof articleParts>[0]) =>
  articleParts(view).sections.map((s) => [s.state, s.draft, s.polished])

describe('articleParts: the hand-over from draft to polished text', () => {
  it('keeps the drafts and swaps in each polished section once it is complete', () => {
    const view = fold([...written, { type: 'step.started', progress: 80, step: 'style' }])
    const start = POLISHED.indexOf('## B') + '## B\n\nPoli'.length
    fold(styleTokens(POLISHED.slice(0, start)), view)
    expect(shown(view)).toEqual([
      ['polished', null, 'Polished A.'],
      ['polishing', null, 'Poli'],
      ['written', 'Draft of C.', null],
    ])
    expect(articleParts(view)).toMatchObject({ title: 'Tea', lead: 'Hello.', polished: 1 })
  })

  it('shows the drafts again when the style step starts over, then the new text', () => {
    const view = fold([...written, { type: 'step.started', progress: 80, step: 'style' }])
    fold(styleTokens('# Old\n\n## A\n\nOld A.\n\n## B\n\nOld'), view)
    fold([{ type: 'step.started', progress: 80, step: 'style' }], view)
    expect(shown(view)).toEqual(DRAFT.map((d) => ['written', d, null]))
    fold(styleTokens('# Tea\n\n## A\n\nNew'), view)
    expect(shown(view)[0]).toEqual(['polishing', null, 'New'])
  })

  it('polishes a section from its beginning, paragraph by paragraph in place of its draft', () => {
    const draft = 'First draft.\n\nSecond draft.\n\nThird draft.'
    const view = fold([
      ...written.slice(0, 5),
      { type: 'section.started', progress: 40, index: 0, title: 'A' },
      { type: 'token', progress: 50, step: 'content', index: 0, text: draft },
      { type: 'section.completed', progress: 60, index: 0, title: 'A', content: draft },
      { type: 'step.started', progress: 80, step: 'style' },
    ])
    fold(styleTokens('# Tea\n\n## A\n\nFirst, polished.\n\nSec'), view)
    const [a] = articleParts(view).sections
    expect(a).toEqual({
      index: 0,
      title: 'A',
      draft: 'Third draft.',
      polished: 'First, polished.\n\nSec',
      state: 'polishing',
      original: draft,
    })
    // Done: the polished text alone, the draft kept to compare.
    fold(styleTokens('ond, polished.\n\nThird, polished.\n\n## B\n\nB'), view)
    expect(articleParts(view).sections[0]).toMatchObject({
      state: 'polished',
      draft: null,
      polished: 'First, polished.\n\nSecond, polished.\n\nThird, polished.',
      original: draft,
    })
  })

  it('ends on the job’s article with the same texts: nothing changes at the hand-over', () => {
    const view = fold([...written, { type: 'step.started', progress: 80, step: 'style' }])
    fold([...styleTokens(POLISHED), { type: 'step.completed', progress: 99, step: 'style' }], view)
    const live = articleParts(view)
    const article = { title: 'Tea', sections: [], markdown: POLISHED.trim(), language: 'en' }
    fold([{ type: 'job.completed', progress: 100, article }], view)
    expect(articleParts(view)).toEqual(live)
  })

  it('drops a polish cut short by a failure and keeps the draft', () => {
    const view = fold([...written, { type: 'step.started', progress: 80, step: 'style' }])
    fold(styleTokens('# Tea\n\n## A\n\nPolished A.\n\n## B\n\nHalf'), view)
    const error = { code: 'llm', message: 'down', retryable: false }
    fold([{ type: 'job.failed', progress: 90, error }], view)
    expect(shown(view)).toEqual([
      ['polished', null, 'Polished A.'],
      ['written', 'Draft of B.', null],
      ['written', 'Draft of C.', null],
    ])
  })

  it('shows a section being written, and none that has not begun', () => {
    const view = fold(written.slice(0, 7))
    expect(shown(view)).toEqual([['writing', 'Draft of A.', null]])
  })
})
