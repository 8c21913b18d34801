import { ArticleSectionSchema, UsageSchema } from '@inkflow/shared'
import { z } from 'zod'

export const OutlineSchema = z.object({
  title: z.string().min(1),
  sections: z.array(z.string().min(1)).min(3).max(6),
})
export type Outline = z.infer<typeof OutlineSchema>

/**
 * The shared state of the article flow. It is also the checkpoint: after each step and
 * each section it is saved whole, and a resumed job starts from it.
 */
export const ArticleStateSchema = z.object({
  topic: z.string(),
  outline: OutlineSchema.optional(),
  /** Finished sections, in outline order. */
  sections: z.array(ArticleSectionSchema),
  /** The style pass's Markdown. */
  styled: z.string().optional(),
  usage: UsageSchema,
})
export type ArticleState = z.infer<typeof ArticleStateSchema>

export function initialArticleState(topic: string): ArticleState {
  return { topic, sections: [], usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 } }
}

/** Restores a checkpoint; one that does not parse (an older shape, say) starts over. */
export function restoreArticleState(topic: string, checkpoint: unknown): ArticleState {
  const parsed = ArticleStateSchema.safeParse(checkpoint)
  return parsed.success && parsed.data.topic === topic ? parsed.data : initialArticleState(topic)
}
