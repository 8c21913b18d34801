import { Flow } from '../engine/flow.js'
import type { RetryPolicy } from '../engine/retry.js'
import type { ArticleContext } from './article-context.js'
import type { ArticleState } from './article-state.js'
import { ContentNode } from './content-node.js'
import { OutlineNode } from './outline-node.js'
import { ReviewNode } from './review-node.js'
import { ReviseNode } from './revise-node.js'
import { StyleNode } from './style-node.js'

/**
 * outline → (review, when asked: the flow stops there until approved) → content (one
 * section at a time) → style; each model call retried per `retry`.
 */
export function createArticleFlow(
  retry: Partial<RetryPolicy> = {},
): Flow<ArticleState, ArticleContext> {
  const outline = new OutlineNode(retry)
  outline.next(new ReviewNode(retry)).next(new ContentNode(retry)).next(new StyleNode(retry))
  return new Flow(outline)
}

/** A revision job's flow: its one `revise` step, the model call retried per `retry`. */
export function createRevisionFlow(
  retry: Partial<RetryPolicy> = {},
): Flow<ArticleState, ArticleContext> {
  return new Flow(new ReviseNode(retry))
}
