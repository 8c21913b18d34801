import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * Owner tokens: `POST /api/jobs` hands one out, and cancelling the job (or approving its
 * outline) needs it. 32 random bytes (256 bits), base64url: 43 characters.
 *
 * The job keeps only `hashOwnerToken(token)`; the plain token lives nowhere but in the
 * idempotency record that replays its POST. SHA-256 is enough (no slow hash): the token is
 * random and long, not a password someone could guess.
 */
export function newOwnerToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url')
  return { token, hash: hashOwnerToken(token) }
}

export const hashOwnerToken = (token: string) =>
  createHash('sha256').update(token).digest('base64url')

/** What a job without an owner (created before owner tokens) is compared with: matches nothing. */
const NO_OWNER = Buffer.alloc(32)

/**
 * Whether `presented` is the token whose hash is `storedHash`. The digests are compared in
 * constant time, so neither the token nor the hash leaks through timing; a job with no hash
 * is compared too (against zeros), so it takes as long and never matches.
 */
export function matchesOwnerToken(presented: string, storedHash: string | undefined): boolean {
  const given = createHash('sha256').update(presented).digest()
  const stored = storedHash === undefined ? undefined : Buffer.from(storedHash, 'base64url')
  const expected = stored?.length === given.length ? stored : NO_OWNER
  return timingSafeEqual(given, expected) && expected !== NO_OWNER
}
