import { describe, expect, it } from 'vitest'
import { articleFileName } from '../src/lib/markdown/download.js'

describe('articleFileName', () => {
  it('joins lowercase words with dashes', () => {
    expect(articleFileName('Tea: A Practical Guide!')).toBe('tea-a-practical-guide.md')
  })

  it('keeps every script whole: Arabic with its vowel marks, Devanagari, accents', () => {
    // "تاريخ الشّاي" has a shadda (a combining mark) inside its second word.
    expect(articleFileName('تاريخ الشّاي')).toBe('تاريخ-الشّاي.md')
    expect(articleFileName('चाय का इतिहास')).toBe('चाय-का-इतिहास.md')
    expect(articleFileName('Café Crème')).toBe('café-crème.md')
  })

  it('cuts a long title at 80 graphemes, never inside one', () => {
    const long = 'الشّ'.repeat(60)
    const name = articleFileName(long).replace(/\.md$/, '')
    const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(name)]
    expect(graphemes.length).toBe(80)
    expect(graphemes.every((g) => !/^\p{Mark}/u.test(g.segment))).toBe(true)
    expect(name.normalize('NFC')).toBe(name)
  })

  it('names a title with no letters "article"', () => {
    expect(articleFileName('?!')).toBe('article.md')
  })
})
