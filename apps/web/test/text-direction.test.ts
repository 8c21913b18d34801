import { describe, expect, it } from 'vitest'
import { languageName } from '../src/lib/state/languages.js'
import { listedDirection, textDirection } from '../src/lib/state/text-direction.js'

describe('textDirection', () => {
  it('writes Arabic, Hebrew, Persian and Urdu right to left, with or without a region', () => {
    for (const tag of ['ar', 'ar-EG', 'he', 'fa-IR', 'ur'])
      expect(textDirection(tag), tag).toBe('rtl')
  })

  it('writes Latin, CJK and Cyrillic languages left to right', () => {
    for (const tag of ['en', 'fr', 'pt-BR', 'ja', 'zh-Hans', 'ru'])
      expect(textDirection(tag), tag).toBe('ltr')
  })

  it('follows a script named in the tag', () => {
    expect(textDirection('az-Arab')).toBe('rtl')
    expect(textDirection('az-Latn')).toBe('ltr')
  })

  it('takes a tag it cannot read as left to right', () => {
    expect(textDirection('not a tag')).toBe('ltr')
    expect(textDirection('')).toBe('ltr')
  })

  it('gives the listed languages the direction of their likely script (the fallback list)', () => {
    const tags = ['ar', 'he', 'fa', 'ur', 'ps', 'yi', 'dv', 'ckb', 'ug', 'syr', 'en', 'de', 'ja']
    for (const tag of tags) expect(listedDirection(tag), tag).toBe(textDirection(tag))
    expect(textDirection('dv')).toBe('rtl')
  })
})

describe('languageName', () => {
  it('names the listed languages in their own words and others in English, with the tag', () => {
    expect(languageName('fr')).toBe('Français')
    expect(languageName('pt-br')).toBe('Português (Brasil)')
    expect(languageName('sv')).toBe('Swedish (sv)')
    expect(languageName('qqq')).toBe('qqq')
  })
})
