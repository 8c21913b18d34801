import { describe, expect, it } from 'vitest'
import { createOverlapTrimmer, repeatedPrefix } from '../../src/workflow/article/overlap-trimmer.js'

/** Feeds `deltas` through a trimmer carrying on from `written`; returns what came out. */
function carryOn(written: string, deltas: string[]): string {
  let out = ''
  const trimmer = createOverlapTrimmer(written, (text) => {
    out += text
  })
  for (const delta of deltas) trimmer.push(delta)
  trimmer.end()
  return out
}

const words = (text: string) => text.match(/\s*\S+/g) ?? []

describe('the overlap trimmer', () => {
  const written = 'Tea came to Europe in the seventeenth century, first as a medicine and'
  const rest = ' then as a fashion of the court.'

  it('lets a clean continuation through untouched, however it is cut into deltas', () => {
    expect(carryOn(written, words(rest))).toBe(rest)
    expect(carryOn(written, [...rest])).toBe(rest)
  })

  it('cuts the words a model restates before going on', () => {
    const restated = `a medicine and${rest}`
    expect(carryOn(written, words(restated))).toBe(rest)
    expect(carryOn(written, [restated])).toBe(rest)
  })

  it('keeps a short chance match, and drops a space doubled at the seam', () => {
    expect(repeatedPrefix('the end', 'd of it')).toBe(0)
    expect(repeatedPrefix('first words ', ' then more')).toBe(1)
    expect(carryOn('and ', [' the', ' rest'])).toBe('the rest')
  })

  it('lets out what it held when the answer ends early', () => {
    expect(carryOn(written, [' then.'])).toBe(' then.')
  })

  it('passes everything through when there is nothing to carry on from', () => {
    expect(carryOn('', ['a', 'b'])).toBe('ab')
  })
})
