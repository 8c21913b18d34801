import { describe, expect, it } from 'vitest'
import { CreateJobBodySchema, CreateRevisionBodySchema } from '../src/index.js'

describe('the language option of POST /api/jobs', () => {
  const language = (value: unknown) =>
    CreateJobBodySchema.safeParse({ topic: 'tea', language: value })

  it('defaults to en', () => {
    expect(CreateJobBodySchema.parse({ topic: 'tea' }).language).toBe('en')
  })

  it.each([
    ['fr', 'fr'],
    ['pt-br', 'pt-BR'],
    [' ar ', 'ar'],
    ['zh-Hant-TW', 'zh-Hant-TW'],
    ['es-419', 'es-419'],
  ])('takes %j as %j (its canonical form)', (sent, stored) => {
    expect(language(sent).data?.language).toBe(stored)
  })

  it.each(['', 'english', 'e', 'en_US', 'x-klingon', 'en\nfr', `en-${'a'.repeat(40)}`, 7])(
    'refuses %j',
    (sent) => {
      const result = language(sent)
      expect(result.success).toBe(false)
      expect(result.error?.issues[0]?.path).toEqual(['language'])
    },
  )
})

describe('the body of POST /api/jobs/{id}/revisions', () => {
  it('trims the instruction', () => {
    expect(CreateRevisionBodySchema.parse({ section: 1, instruction: '  shorter ' })).toEqual({
      section: 1,
      instruction: 'shorter',
    })
  })

  it.each([
    { section: -1, instruction: 'shorter' },
    { section: 1.5, instruction: 'shorter' },
    { section: '1', instruction: 'shorter' },
    { section: 1, instruction: '   ' },
    { section: 1, instruction: 'a\nb' },
    { section: 1, instruction: 'x'.repeat(501) },
    { instruction: 'shorter' },
    { section: 1 },
  ])('refuses %j', (body) => {
    expect(CreateRevisionBodySchema.safeParse(body).success).toBe(false)
  })

  it('takes an instruction of exactly 500 characters', () => {
    expect(
      CreateRevisionBodySchema.safeParse({ section: 0, instruction: 'x'.repeat(500) }).success,
    ).toBe(true)
  })
})
