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

/** The longest revision instruction accepted, after trimming. */
export const INSTRUCTION_MAX_LENGTH = 500

/** The longest language tag accepted (BCP 47 advises room for at least 35 characters). */
export const LANGUAGE_TAG_MAX_LENGTH = 35

/**
 * The shape of a BCP 47 language tag as articles use it: a language (2–3 letters), then an
 * optional script (4 letters), region (2 letters or 3 digits) and variants. Private-use and
 * extension subtags are left out: no model is asked to write in `x-klingon`.
 */
const LANGUAGE_TAG =
  /^[a-z]{2,3}(-[a-z]{4})?(-([a-z]{2}|[0-9]{3}))?(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*$/i

/**
 * The canonical form of a language tag (`pt-br` → `pt-BR`), or `undefined` when `tag` is not
 * one: the regular shape above, and a tag `Intl` itself accepts.
 */
export function canonicalLanguageTag(tag: string): string | undefined {
  if (tag.length > LANGUAGE_TAG_MAX_LENGTH || !LANGUAGE_TAG.test(tag)) return undefined
  try {
    return Intl.getCanonicalLocales(tag)[0]
  } catch {
    return undefined
  }
}

/** A job's options when the POST leaves them out. */
export const DEFAULT_JOB_OPTIONS = {
  tone: 'conversational',
  length: 'medium',
  audience: '',
  language: 'en',
  reviewOutline: false,
} as const
