import { describe, expect, it } from 'vitest'
import { jobHistory } from '../src/lib/api/job-history.js'
import { optionsSummary } from '../src/lib/state/options-summary.js'
import { addSection, createDraft, renameSection } from '../src/lib/state/outline-draft.js'
import { createSavedOutlineDrafts } from '../src/lib/state/saved-outline-drafts.js'
import { memoryStorage } from './helpers/memory-storage.js'

const proposal = { title: 'Tea', sections: ['Origins', 'Trade', 'Today'] }

describe('saved outline drafts', () => {
  it('keeps a job’s edits across a reload, and forgets them once removed', () => {
    const storage = memoryStorage()
    const edited = addSection(renameSection(createDraft(proposal), 1, 'Routes'), 'Cups')
    createSavedOutlineDrafts(storage).save('j1', edited)
    // A new page: a new store over the same storage.
    const again = createSavedOutlineDrafts(storage)
    expect(again.load('j1')).toEqual(edited)
    expect(again.load('j2')).toBeUndefined()
    again.remove('j1')
    expect(again.load('j1')).toBeUndefined()
    expect(storage.items.size).toBe(0)
  })

  it('hands the edits over to a retry, keeping none for the cancelled job', () => {
    const storage = memoryStorage()
    const drafts = createSavedOutlineDrafts(storage)
    const edited = renameSection(createDraft(proposal), 0, 'Beginnings')
    drafts.save('old', edited)
    drafts.move('old', 'new')
    expect(drafts.load('new')).toEqual(edited)
    expect(drafts.load('old')).toBeUndefined()
    drafts.move('none', 'other')
    expect(drafts.load('other')).toBeUndefined()
  })

  it('ignores what it cannot trust, and works on without storage', () => {
    const storage = memoryStorage()
    storage.setItem('inkflow:outline-draft:bad', '{"title":1}')
    storage.setItem('inkflow:outline-draft:junk', 'not json')
    const drafts = createSavedOutlineDrafts(storage)
    expect(drafts.load('bad')).toBeUndefined()
    expect(drafts.load('junk')).toBeUndefined()
    const none = createSavedOutlineDrafts(undefined)
    none.save('j', createDraft(proposal))
    expect(none.load('j')).toBeUndefined()
    const full = {
      ...memoryStorage(),
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError')
      },
    }
    expect(() => createSavedOutlineDrafts(full).save('j', createDraft(proposal))).not.toThrow()
  })
})

describe('the history by title', () => {
  it('records a job’s title once known, and lists it with its topic', () => {
    const storage = memoryStorage()
    const history = jobHistory(storage)
    const createdAt = new Date(0).toISOString()
    history.add({ id: 'a', ownerToken: 't', topic: 'tea', createdAt })
    history.setTitle('a', 'All about tea')
    history.setTitle('missing', 'Nothing')
    expect(jobHistory(storage).list()).toEqual([
      { id: 'a', ownerToken: 't', topic: 'tea', title: 'All about tea', createdAt },
    ])
  })
})

describe('optionsSummary', () => {
  it('says the options in words, the audience and the review only when chosen', () => {
    const base = {
      tone: 'playful',
      length: 'short',
      audience: '',
      language: 'en',
      reviewOutline: false,
    } as const
    expect(optionsSummary(base)).toBe('Playful · short · English')
    expect(optionsSummary({ ...base, audience: ' beginners ', reviewOutline: true })).toBe(
      'Playful · short · English · for beginners · outline reviewed',
    )
    expect(optionsSummary({ ...base, language: 'ar' })).toBe('Playful · short · العربية')
    expect(optionsSummary({ ...base, language: 'nl' })).toBe('Playful · short · Dutch (nl)')
    expect(optionsSummary(null)).toBe('')
  })
})
