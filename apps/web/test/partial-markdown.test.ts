import { DEFAULT_JOB_OPTIONS } from '@inkflow/shared'
import { describe, expect, it } from 'vitest'
import { articleParts } from '../src/lib/state/article-parts.js'
import { partialMarkdown } from '../src/lib/state/partial-markdown.js'
import { fold } from './helpers/fold-events.js'

describe('partialMarkdown: what was written of a cancelled article', () => {
  it('is shaped like an article: the title, each section written or begun, none never reached', () => {
    const view = fold([
      { type: 'job.queued', progress: 0, topic: 'tea', options: { ...DEFAULT_JOB_OPTIONS } },
      { type: 'job.started', progress: 0, attempt: 1 },
      { type: 'outline.ready', progress: 30, title: 'Tea', sections: ['A', 'B', 'C'] },
      { type: 'step.started', progress: 30, step: 'content' },
      { type: 'section.started', progress: 30, index: 0, title: 'A' },
      { type: 'token', progress: 40, step: 'content', index: 0, text: 'All of A.\n\nMore A.' },
      {
        type: 'section.completed',
        progress: 45,
        index: 0,
        title: 'A',
        content: 'All of A.\n\nMore A.',
      },
      { type: 'section.started', progress: 45, index: 1, title: 'B' },
      { type: 'token', progress: 50, step: 'content', index: 1, text: 'Half of' },
      { type: 'job.cancelled', progress: 50 },
    ])
    expect(partialMarkdown(articleParts(view))).toBe(
      '# Tea\n\n## A\n\nAll of A.\n\nMore A.\n\n## B\n\nHalf of\n',
    )
  })
})
