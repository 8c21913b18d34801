import { Flow } from '../engine/flow.js'
import type { ArticleContext } from './article-context.js'
import type { ArticleState } from './article-state.js'
import { ContentNode } from './content-node.js'
import { OutlineNode } from './outline-node.js'
import { StyleNode } from './style-node.js'

/** outline → content (one section at a time) → style. */
export function createArticleFlow(): Flow<ArticleState, ArticleContext> {
  const outline = new OutlineNode()
  outline.next(new ContentNode()).next(new StyleNode())
  return new Flow(outline)
}
