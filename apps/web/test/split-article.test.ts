import { describe, expect, it } from 'vitest'
import { splitArticle } from '../src/lib/markdown/split-article.js'
import { prefixes, RICH_ARTICLE } from './helpers/sample-markdown.js'

describe('splitArticle', () => {
  it('cuts at the title and the sections, like the API, with code fences left whole', () => {
    const split = splitArticle(RICH_ARTICLE)
    expect(split.title).toBe('Tea: A Practical Guide')
    expect(split.lead).toBe('If you have ever wondered about **tea**, you are in *good* company.')
    expect(split.sections.map((s) => s.title)).toEqual(['What tea really is', 'A short history'])
    expect(split.sections[1]?.body).toContain('```\n## not a heading\n```')
  })

  it('holds back a bare # line and a title still being typed', () => {
    expect(splitArticle('# Tea: A Pra')).toEqual({ title: undefined, lead: '', sections: [] })
    expect(splitArticle('# Tea\n\nIntro.\n\n##')).toEqual({
      title: 'Tea',
      lead: 'Intro.',
      sections: [],
    })
    expect(splitArticle('# Tea\n\n## Hist').sections).toEqual([{ title: 'Hist', body: '' }])
  })

  it('grows every part at its end only, so a renderer can keep what it showed', () => {
    let before = splitArticle('')
    for (const text of prefixes(RICH_ARTICLE)) {
      const now = splitArticle(text)
      expect(now.lead.startsWith(before.lead)).toBe(true)
      before.sections.forEach((s, i) => {
        expect(now.sections[i]?.body.startsWith(s.body)).toBe(true)
      })
      before = now
    }
  })
})
