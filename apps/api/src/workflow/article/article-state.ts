import {
  ArticleSchema,
  ArticleSectionSchema,
  DEFAULT_JOB_OPTIONS,
  type JobOptions,
  JobOptionsSchema,
  UsageSchema,
} from '@inkflow/shared'
import { z } from 'zod/mini'
import { NO_USAGE } from '../../llm/usage.js'

export const OutlineSchema = z.object({
  title: z.string().check(z.minLength(1)),
  sections: z.array(z.string().check(z.minLength(1))).check(z.minLength(3), z.maxLength(6)),
})
export type Outline = z.infer<typeof OutlineSchema>

/**
 * The shared state of the article flow. It is also the checkpoint: after each step and
 * each section it is saved whole, and a resumed job starts from it.
 */
export const ArticleStateSchema = z.object({
  topic: z.string(),
  /** The job's options; always the job record's (a checkpoint from before options has none). */
  options: z._default(JobOptionsSchema, { ...DEFAULT_JOB_OPTIONS }),
  /** The outline the content step writes: the model's, or the one a person approved. */
  outline: z.optional(OutlineSchema),
  /** True once a person approved `outline` (`PUT /api/jobs/{id}/outline`). */
  outlineApproved: z.optional(z.boolean()),
  /** Finished sections, in outline order. */
  sections: z.array(ArticleSectionSchema),
  /** The style pass's Markdown. */
  styled: z.optional(z.string()),
  /**
   * A revision job's task, always the job record's (`revisionOf`, `revisionBase`): the
   * section of `base` to rewrite (0-based) and how.
   */
  revision: z.optional(
    z.object({ section: z.number().check(z.int()), instruction: z.string(), base: ArticleSchema }),
  ),
  /** A revision's rewritten section text, once the `revise` step has it. */
  revised: z.optional(z.string()),
  /** Every model call's tokens, failed ones included (counted by `jobs/job-token-meter.ts`). */
  usage: UsageSchema,
})
export type ArticleState = z.infer<typeof ArticleStateSchema>

export function initialArticleState(
  topic: string,
  options: JobOptions = DEFAULT_JOB_OPTIONS,
): ArticleState {
  return {
    topic,
    options: { ...options },
    sections: [],
    usage: { ...NO_USAGE },
  }
}

/** Restores a checkpoint (JSON); one that does not parse (an older shape, say) starts over. */
export function restoreArticleState(
  topic: string,
  options: JobOptions,
  checkpoint: string | undefined,
): ArticleState {
  const parsed = ArticleStateSchema.safeParse(parseJson(checkpoint))
  if (!parsed.success || parsed.data.topic !== topic) return initialArticleState(topic, options)
  return { ...parsed.data, options: { ...options } }
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Whether the flow must stop after the outline until a person approves it. */
export function awaitsReview(state: ArticleState): boolean {
  return (
    state.options.reviewOutline && state.outline !== undefined && state.outlineApproved !== true
  )
}

/**
 * The state once `outline` is approved: the content step writes exactly its sections, and
 * nothing written for another outline is kept.
 */
export function approveOutline(state: ArticleState, outline: Outline): ArticleState {
  return { ...state, outline, outlineApproved: true, sections: [], styled: undefined }
}
