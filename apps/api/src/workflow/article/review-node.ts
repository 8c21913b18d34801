import { Node } from '../engine/node.js'
import { type ArticleContext, PROGRESS } from './article-context.js'
import { type ArticleState, awaitsReview } from './article-state.js'

/** The action of a flow that stops to wait for a person: no node follows it. */
export const WAIT_FOR_REVIEW = 'wait-for-review'

/**
 * Between outline and content, for a job that asked for an outline review: announces
 * `job.waiting` and stops the flow (the runner then parks the job, freeing its worker).
 * Once the outline is approved (or no review was asked) the node is complete and skipped.
 */
export class ReviewNode extends Node<ArticleState, ArticleContext> {
  override isComplete(state: ArticleState) {
    return !awaitsReview(state)
  }

  override async exec() {}

  override async post(_state: ArticleState, _prep: unknown, _exec: unknown, ctx: ArticleContext) {
    const expiresAt = new Date(Date.now() + ctx.reviewTimeoutMs).toISOString()
    ctx.events.emitLater({ type: 'job.waiting', for: 'outline', expiresAt }, PROGRESS.outline[1])
    return WAIT_FOR_REVIEW
  }
}
