import { z } from 'zod/mini'
import { LengthSchema, ToneSchema } from './job.js'
import {
  ARTICLE_TITLE_MAX_LENGTH,
  AUDIENCE_MAX_LENGTH,
  DEFAULT_JOB_OPTIONS,
  isOneLine,
  OUTLINE_MAX_SECTIONS,
  OUTLINE_MIN_SECTIONS,
  SECTION_TITLE_MAX_LENGTH,
  TOPIC_MAX_LENGTH,
} from './limits.js'

/* What the API parses from its clients; its messages are the 422's `errors[]`. */

/** The message of a refused line of user text: it goes to prompts, so it must be one line. */
const oneLine = (what: string) =>
  `${what} must be one line: no newline, tab or other control character`

/**
 * `POST /api/jobs` body. The topic and audience are trimmed before their lengths are checked,
 * and must be one line (`isOneLine`);
 * the parsed body has every option, defaults filled in.
 */
export const CreateJobBodySchema = z.object({
  topic: z
    .string({ error: 'topic must be a string' })
    .check(
      z.trim(),
      z.minLength(1, 'topic must not be empty'),
      z.maxLength(TOPIC_MAX_LENGTH, `topic must be at most ${TOPIC_MAX_LENGTH} characters`),
      z.refine(isOneLine, oneLine('topic')),
    ),
  tone: z._default(ToneSchema, DEFAULT_JOB_OPTIONS.tone),
  length: z._default(LengthSchema, DEFAULT_JOB_OPTIONS.length),
  audience: z._default(
    z
      .string({ error: 'audience must be a string' })
      .check(
        z.trim(),
        z.maxLength(
          AUDIENCE_MAX_LENGTH,
          `audience must be at most ${AUDIENCE_MAX_LENGTH} characters`,
        ),
        z.refine(isOneLine, oneLine('audience')),
      ),
    DEFAULT_JOB_OPTIONS.audience,
  ),
  reviewOutline: z._default(
    z.boolean({ error: 'reviewOutline must be true or false' }),
    DEFAULT_JOB_OPTIONS.reviewOutline,
  ),
})
export type CreateJobBody = z.infer<typeof CreateJobBodySchema>

/** `PUT /api/jobs/{id}/outline` body: the outline to write, as the person approved it. */
export const OutlineApprovalSchema = z.object({
  title: z
    .string({ error: 'title must be a string' })
    .check(
      z.trim(),
      z.minLength(1, 'title must not be empty'),
      z.maxLength(
        ARTICLE_TITLE_MAX_LENGTH,
        `title must be at most ${ARTICLE_TITLE_MAX_LENGTH} characters`,
      ),
      z.refine(isOneLine, oneLine('title')),
    ),
  sections: z
    .array(
      z
        .string({ error: 'a section title must be a string' })
        .check(
          z.trim(),
          z.minLength(1, 'a section title must not be empty'),
          z.maxLength(
            SECTION_TITLE_MAX_LENGTH,
            `a section title must be at most ${SECTION_TITLE_MAX_LENGTH} characters`,
          ),
          z.refine(isOneLine, oneLine('a section title')),
        ),
    )
    .check(
      z.minLength(OUTLINE_MIN_SECTIONS, `an outline has at least ${OUTLINE_MIN_SECTIONS} sections`),
      z.maxLength(OUTLINE_MAX_SECTIONS, `an outline has at most ${OUTLINE_MAX_SECTIONS} sections`),
    ),
})
export type OutlineApproval = z.infer<typeof OutlineApprovalSchema>

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
