import { describe, expect, it } from 'vitest'
import { parentLinks, versionChain } from '../src/lib/state/version-chain.js'

/** v1 ← v2 ← v3, and v2b, an older revision of v1. */
const parents: Record<string, string> = { v2: 'v1', v3: 'v2', v2b: 'v1' }
const children: Record<string, string[]> = { v1: ['v2', 'v2b'], v2: ['v3'] }
const parentOf = (id: string) => parents[id]
const childrenOf = (id: string) => children[id] ?? []

describe('versionChain', () => {
  it('walks back to v1 and forward along the newest known revision', () => {
    expect(versionChain('v2', parentOf, childrenOf)).toEqual(['v1', 'v2', 'v3'])
    expect(versionChain('v1', parentOf, childrenOf)).toEqual(['v1', 'v2', 'v3'])
    expect(versionChain('v3', parentOf, childrenOf)).toEqual(['v1', 'v2', 'v3'])
  })

  it('keeps the branch of the version shown', () => {
    expect(versionChain('v2b', parentOf, childrenOf)).toEqual(['v1', 'v2b'])
  })

  it('is one version for an article never revised, or one nobody here revised', () => {
    expect(versionChain('solo', parentOf, childrenOf)).toEqual(['solo'])
    // A reader of a shared link knows the way back only.
    expect(versionChain('v3', parentOf, () => [])).toEqual(['v1', 'v2', 'v3'])
  })

  it('ends at a link that leads back into the chain', () => {
    const loop = (id: string) => ({ a: 'b', b: 'a' })[id]
    expect(versionChain('a', loop, () => ['a', 'b'])).toEqual(['b', 'a'])
  })
})

describe('parentLinks', () => {
  it('asks each version for its parent, back to the first', async () => {
    const asked: string[] = []
    const links = await parentLinks('v3', async (id) => {
      asked.push(id)
      return parents[id]
    })
    expect(asked).toEqual(['v3', 'v2', 'v1'])
    expect(
      versionChain(
        'v3',
        (id) => links.get(id),
        () => [],
      ),
    ).toEqual(['v1', 'v2', 'v3'])
  })
})
