import { Node } from '../engine/node.js'
import type { ArticleContext } from './article-context.js'
import { type ArticleState, awaitsReview } from './article-state.js'

/** The action of a flow that stops to wait for a person: no node follows it. */
export const WAIT_FOR_REVIEW = 'wait-for-review'

/**
 * Between outline and content, for a job that asked for an outline review: stops the flow.
 * The runner then parks the job, freeing its worker, and logs `job.waiting` with the
 * waiting status (`jobs/park-for-review.ts`). Once the outline is approved (or no review
 * was asked) the node is complete and skipped.
 */
export class ReviewNode extends Node<ArticleState, ArticleContext> {
  override isComplete(state: ArticleState) {
    return !awaitsReview(state)
  }

  override async exec() {}

  override async post() {
    return WAIT_FOR_REVIEW
  }
}
