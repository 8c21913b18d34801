import { createHash, randomFillSync, timingSafeEqual } from 'node:crypto'

/**
 * Owner tokens: `POST /api/jobs` hands one out, and cancelling the job (or approving its
 * outline) needs it. 32 random bytes (256 bits), base64url: 43 characters.
 *
 * The job keeps only `hashOwnerToken(token)`; the plain token lives nowhere but in the
 * idempotency record that replays its POST. SHA-256 is enough (no slow hash): the token is
 * random and long, not a password someone could guess.
 */
const TOKEN_BYTES = 32

/**
 * Random bytes drawn at once: 128 tokens' worth. Drawing 32 bytes per token from the system's
 * generator costs 8 % of the server's CPU under a burst of submissions (profiled in `submit`);
 * one draw per 128 is what `crypto.randomUUID` does for the same reason. Each token's bytes
 * are zeroed once handed out, so the pool holds only tokens not yet issued.
 */
const POOL_BYTES = TOKEN_BYTES * 128

/** Issues owner tokens, each with the hash its job keeps. */
export function createOwnerTokenIssuer(): () => { token: string; hash: string } {
  const pool = Buffer.alloc(POOL_BYTES)
  let offset = POOL_BYTES
  return () => {
    if (offset === POOL_BYTES) {
      randomFillSync(pool)
      offset = 0
    }
    const token = pool.toString('base64url', offset, offset + TOKEN_BYTES)
    pool.fill(0, offset, offset + TOKEN_BYTES)
    offset += TOKEN_BYTES
    return { token, hash: hashOwnerToken(token) }
  }
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
