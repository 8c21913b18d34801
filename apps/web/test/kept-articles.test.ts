import { describe, expect, it } from 'vitest'
import { jobHistory } from '../src/lib/api/job-history.js'
import { createKeptArticles } from '../src/lib/state/kept-articles.js'
import { memoryStorage } from './helpers/memory-storage.js'

const v1 = {
  id: 'v1',
  topic: 'tea',
  title: 'All about tea',
  markdown: '# All about tea\n\n## Origins\n\nLeaves.',
  language: 'en',
  expiresAt: '2026-12-13T10:00:00.000Z',
}
const v2 = {
  ...v1,
  id: 'v2',
  markdown: '# All about tea\n\n## Origins\n\nFewer leaves.',
  revisionOf: { jobId: 'v1', section: 0, instruction: 'shorter' },
}

describe('kept articles', () => {
  it('keeps a finished article across pages, and forgets it once removed', () => {
    const storage = memoryStorage()
    createKeptArticles(storage).save(v1)
    const again = createKeptArticles(storage)
    expect(again.get('v1')).toEqual(v1)
    expect(again.get('v2')).toBeUndefined()
    again.save(v2)
    expect(again.get('v2')?.revisionOf).toEqual(v2.revisionOf)
    again.remove('v1')
    again.remove('v2')
    expect(again.get('v1')).toBeUndefined()
    expect(storage.items.size).toBe(0)
  })

  it('reads nothing from a copy that does not validate or belongs to another id', () => {
    const storage = memoryStorage()
    storage.setItem('inkflow:kept:a', '{not json')
    storage.setItem('inkflow:kept:b', JSON.stringify({ ...v1, id: 'b', markdown: 42 }))
    storage.setItem('inkflow:kept:c', JSON.stringify({ ...v1, id: 'other' }))
    const kept = createKeptArticles(storage)
    expect(['a', 'b', 'c'].map((id) => kept.get(id))).toEqual([undefined, undefined, undefined])
  })

  it('keeps nothing, and throws nothing, where storage is full or blocked', () => {
    const full = {
      ...memoryStorage(),
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError')
      },
    }
    const kept = createKeptArticles(full)
    kept.save(v1)
    expect(kept.get('v1')).toBeUndefined()
    expect(createKeptArticles(undefined).get('v1')).toBeUndefined()
  })
})

describe('job history: revisions', () => {
  it('lists the revisions this browser started of a version, newest first', () => {
    const history = jobHistory(memoryStorage())
    const entry = { ownerToken: 't', topic: 'tea' }
    history.add({ ...entry, id: 'v1', createdAt: '2026-12-06T10:00:00.000Z' })
    history.add({ ...entry, id: 'v2', revisionOf: 'v1', createdAt: '2026-12-06T10:01:00.000Z' })
    history.add({ ...entry, id: 'v2b', revisionOf: 'v1', createdAt: '2026-12-06T10:02:00.000Z' })
    history.add({ ...entry, id: 'v3', revisionOf: 'v2', createdAt: '2026-12-06T10:03:00.000Z' })
    expect(history.revisionsOf('v1')).toEqual(['v2b', 'v2'])
    expect(history.revisionsOf('v3')).toEqual([])
  })
})
