import { OUTLINE_MAX_SECTIONS, OUTLINE_MIN_SECTIONS } from '@inkflow/shared'
import { describe, expect, it } from 'vitest'
import {
  addSection,
  canAdd,
  canMove,
  canRemove,
  createDraft,
  draftErrors,
  moveSection,
  removeSection,
  renameSection,
  setTitle,
  toApproval,
} from '../src/lib/state/outline-draft.js'
import { timeLeft } from '../src/lib/state/review-expiry.js'

const proposal = { title: 'Tea', sections: ['Origins', 'Trade', 'Today', 'Rituals'] }
const titles = (draft: ReturnType<typeof createDraft>) => draft.sections.map((s) => s.title)

describe('the outline draft', () => {
  it('starts from the proposal, each section with its own key', () => {
    const draft = createDraft(proposal)
    expect(draft.title).toBe('Tea')
    expect(titles(draft)).toEqual(proposal.sections)
    expect(new Set(draft.sections.map((s) => s.key)).size).toBe(4)
    expect(toApproval(draft)).toEqual(proposal)
  })

  it(`adds up to ${OUTLINE_MAX_SECTIONS} sections, and no more`, () => {
    let draft = createDraft(proposal)
    while (canAdd(draft)) draft = addSection(draft, `Extra ${draft.sections.length}`)
    expect(draft.sections).toHaveLength(OUTLINE_MAX_SECTIONS)
    expect(addSection(draft)).toBe(draft)
    expect(new Set(draft.sections.map((s) => s.key)).size).toBe(OUTLINE_MAX_SECTIONS)
  })

  it(`removes down to ${OUTLINE_MIN_SECTIONS} sections, and no fewer`, () => {
    let draft = removeSection(createDraft(proposal), 1)
    expect(titles(draft)).toEqual(['Origins', 'Today', 'Rituals'])
    expect(canRemove(draft)).toBe(false)
    expect(removeSection(draft, 0)).toBe(draft)
    draft = addSection(draft)
    expect(canRemove(draft)).toBe(true)
  })

  it('moves a section up and down, keeping its key, and not past either end', () => {
    const draft = createDraft(proposal)
    const down = moveSection(draft, 0, 1)
    expect(titles(down)).toEqual(['Trade', 'Origins', 'Today', 'Rituals'])
    expect(down.sections[1]?.key).toBe(draft.sections[0]?.key)
    expect(titles(moveSection(down, 1, -1))).toEqual(proposal.sections)
    expect(canMove(draft, 0, -1)).toBe(false)
    expect(canMove(draft, 3, 1)).toBe(false)
    expect(moveSection(draft, 0, -1)).toBe(draft)
    expect(moveSection(draft, 3, 1)).toBe(draft)
  })

  it('sends every text trimmed', () => {
    let draft = setTitle(createDraft(proposal), '  A short history of tea ')
    draft = renameSection(draft, 2, '\tTea today  ')
    expect(toApproval(draft)).toEqual({
      title: 'A short history of tea',
      sections: ['Origins', 'Trade', 'Tea today', 'Rituals'],
    })
  })

  it('says what is wrong with a blank or too long title, counted after trimming', () => {
    let draft = setTitle(createDraft(proposal), '   ')
    draft = renameSection(draft, 1, ' ')
    draft = renameSection(draft, 3, 'x'.repeat(121))
    expect(draftErrors(draft)).toEqual({
      title: 'The article needs a title.',
      sections: { 1: 'Section 2 needs a title.', 3: 'Section 4 is longer than 120 characters.' },
    })
    expect(toApproval(draft)).toBeNull()
    draft = setTitle(draft, ` ${'t'.repeat(200)} `)
    draft = renameSection(draft, 1, 'Trade')
    draft = renameSection(draft, 3, ` ${'x'.repeat(120)} `)
    expect(draftErrors(draft)).toBeNull()
    expect(draftErrors(setTitle(draft, 't'.repeat(201)))?.title).toMatch(/200 characters/)
  })

  it('refuses a count outside 3–6, should one ever be built', () => {
    const short = { ...createDraft(proposal), sections: createDraft(proposal).sections.slice(0, 2) }
    expect(draftErrors(short)?.count).toBe('An outline has 3 to 6 sections.')
    expect(toApproval(short)).toBeNull()
  })
})

describe('timeLeft', () => {
  const now = Date.parse('2026-12-01T18:00:00.000Z')
  const at = (ms: number) => new Date(now + ms).toISOString()
  it('says how long the review stays open, in the largest fitting unit', () => {
    expect(timeLeft(at(-1), now)).toBe('expired')
    expect(timeLeft(at(30_000), now)).toBe('any moment now')
    expect(timeLeft(at(60_000), now)).toBe('in 1 minute')
    expect(timeLeft(at(90 * 60_000), now)).toBe('in 90 minutes')
    expect(timeLeft(at(24 * 3_600_000), now)).toBe('in 24 hours')
    expect(timeLeft(at(7 * 86_400_000), now)).toBe('in 7 days')
    expect(timeLeft('not a date', now)).toBe('')
  })
})
