import { z } from 'zod/mini'
import { LengthSchema, ToneSchema } from './job.js'
import {
  ARTICLE_TITLE_MAX_LENGTH,
  AUDIENCE_MAX_LENGTH,
  canonicalLanguageTag,
  DEFAULT_JOB_OPTIONS,
  INSTRUCTION_MAX_LENGTH,
  isOneLine,
  OUTLINE_MAX_SECTIONS,
  OUTLINE_MIN_SECTIONS,
  SECTION_TITLE_MAX_LENGTH,
  TOPIC_MAX_LENGTH,
} from './limits.js'

/* What the API parses from its clients; its messages are the 422's `errors[]`. */

/**
 * One line of user text, named `what` in its messages: trimmed, then `min` to `max`
 * characters long, and one line (`isOneLine`), since it goes into prompts.
 */
const lineOfText = (what: string, max: number, min = 1) =>
  z
    .string({ error: `${what} must be a string` })
    .check(
      z.trim(),
      ...(min > 0 ? [z.minLength(min, `${what} must not be empty`)] : []),
      z.maxLength(max, `${what} must be at most ${max} characters`),
      z.refine(isOneLine, `${what} must be one line: no newline, tab or other control character`),
    )

/**
 * `POST /api/jobs` body; the language is a BCP 47 tag, returned in its canonical form
 * (`pt-br` → `pt-BR`); the parsed body has every option, defaults filled in.
 */
export const CreateJobBodySchema = z.object({
  topic: lineOfText('topic', TOPIC_MAX_LENGTH),
  tone: z._default(ToneSchema, DEFAULT_JOB_OPTIONS.tone),
  length: z._default(LengthSchema, DEFAULT_JOB_OPTIONS.length),
  audience: z._default(
    lineOfText('audience', AUDIENCE_MAX_LENGTH, 0),
    DEFAULT_JOB_OPTIONS.audience,
  ),
  language: z._default(
    z.pipe(
      z.string({ error: 'language must be a string' }).check(
        z.trim(),
        z.refine(
          (tag) => canonicalLanguageTag(tag) !== undefined,
          'language must be a BCP 47 language tag such as en, fr, pt-BR or ar',
        ),
      ),
      z.transform((tag: string) => canonicalLanguageTag(tag) ?? tag),
    ),
    DEFAULT_JOB_OPTIONS.language,
  ),
  reviewOutline: z._default(
    z.boolean({ error: 'reviewOutline must be true or false' }),
    DEFAULT_JOB_OPTIONS.reviewOutline,
  ),
})
export type CreateJobBody = z.infer<typeof CreateJobBodySchema>

/** `PUT /api/jobs/{id}/outline` body: the outline to write, as the person approved it. */
export const OutlineApprovalSchema = z.object({
  title: lineOfText('title', ARTICLE_TITLE_MAX_LENGTH),
  sections: z
    .array(lineOfText('a section title', SECTION_TITLE_MAX_LENGTH))
    .check(
      z.minLength(OUTLINE_MIN_SECTIONS, `an outline has at least ${OUTLINE_MIN_SECTIONS} sections`),
      z.maxLength(OUTLINE_MAX_SECTIONS, `an outline has at most ${OUTLINE_MAX_SECTIONS} sections`),
    ),
})
export type OutlineApproval = z.infer<typeof OutlineApprovalSchema>

/**
 * `POST /api/jobs/{id}/revisions` body: which section of the job's article to rewrite (a
 * 0-based index into `article.sections`) and how. The instruction is trimmed, 1–500
 * characters, one line.
 */
export const CreateRevisionBodySchema = z.object({
  section: z
    .number({ error: 'section must be a number' })
    .check(z.int('section must be a whole number'), z.nonnegative('section must be 0 or more')),
  instruction: lineOfText('instruction', INSTRUCTION_MAX_LENGTH),
})
export type CreateRevisionBody = z.infer<typeof CreateRevisionBodySchema>

const JOB_LIST_MAX_LIMIT = 100
const JOB_LIST_DEFAULT_LIMIT = 20

/** `GET /api/jobs` query (operators only). */
export const JobListQuerySchema = z.object({
  limit: z._default(
    z.coerce.number().check(z.int(), z.minimum(1), z.maximum(JOB_LIST_MAX_LIMIT)),
    JOB_LIST_DEFAULT_LIMIT,
  ),
  cursor: z.optional(z.string().check(z.maxLength(200))),
})
