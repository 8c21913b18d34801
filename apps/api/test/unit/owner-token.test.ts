import { describe, expect, it } from 'vitest'
import {
  createOwnerTokenIssuer,
  hashOwnerToken,
  matchesOwnerToken,
} from '../../src/jobs/owner-token.js'

describe('owner tokens', () => {
  it('are 256 random bits, base64url, each with the hash its job keeps', () => {
    const issue = createOwnerTokenIssuer()
    const { token, hash } = issue()
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(Buffer.from(token, 'base64url')).toHaveLength(32)
    expect(hash).toBe(hashOwnerToken(token))
    expect(matchesOwnerToken(token, hash)).toBe(true)
    expect(matchesOwnerToken(issue().token, hash)).toBe(false)
  })

  it('never repeat, across many refills of the issuer’s pool', () => {
    const issue = createOwnerTokenIssuer()
    const tokens = new Set(Array.from({ length: 1000 }, () => issue().token))
    expect(tokens.size).toBe(1000)
    // Two issuers draw their own randomness.
    expect(tokens.has(createOwnerTokenIssuer()().token)).toBe(false)
  })
})
