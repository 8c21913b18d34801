/**
 * Plain constants of the contract, without zod: the browser's bundle imports them (through
 * `./mini`) without pulling in the classic schemas that sit next to them.
 */

/** The longest topic a job accepts, after trimming. */
export const TOPIC_MAX_LENGTH = 200
