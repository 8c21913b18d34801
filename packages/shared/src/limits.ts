/**
 * Plain constants of the contract, without zod: the browser's bundle imports them (through
 * `./mini`) without pulling in the classic schemas that sit next to them.
 */

/** The longest topic a job accepts, after trimming. */
export const TOPIC_MAX_LENGTH = 200

/** The shortest owner token the API hands out: 22 base64url characters are 128 bits. */
export const OWNER_TOKEN_MIN_LENGTH = 22
