/** Plain constants of the contract: the schemas check them, and the SPA's forms hold to them. */

/** The longest topic a job accepts, after trimming. */
export const TOPIC_MAX_LENGTH = 200

/** The shortest owner token the API hands out: 22 base64url characters are 128 bits. */
export const OWNER_TOKEN_MIN_LENGTH = 22

/** The longest audience a job accepts, after trimming (may be empty). */
export const AUDIENCE_MAX_LENGTH = 100

/** An outline has 3 to 6 sections; a section title is 1–120 characters, the title 1–200. */
export const OUTLINE_MIN_SECTIONS = 3
export const OUTLINE_MAX_SECTIONS = 6
export const SECTION_TITLE_MAX_LENGTH = 120
export const ARTICLE_TITLE_MAX_LENGTH = 200

/**
 * What one line of user text (a topic, an audience, an outline title) may not hold: control
 * characters (a newline, a tab, an escape, C1 controls) and the Unicode line and paragraph
 * separators. Such text goes into prompts and onto readers' pages, where a line break would
 * let it pass for a line of its own.
 */
const CONTROL_CHARACTER = /[\p{Cc}\u2028\u2029]/u

/** Whether `text` is one line: it has no `CONTROL_CHARACTER`. */
export const isOneLine = (text: string): boolean => !CONTROL_CHARACTER.test(text)

/** A job's options when the POST leaves them out. */
export const DEFAULT_JOB_OPTIONS = {
  tone: 'conversational',
  length: 'medium',
  audience: '',
  reviewOutline: false,
} as const
