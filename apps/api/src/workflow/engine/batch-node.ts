import { type Action, type FlowContext, Node } from './node.js'
import { withRetry } from './retry.js'

/**
 * A node whose `prep` returns items that are each `execItem`-ed in turn (retried on their
 * own), with `postItem` recording each result — and a checkpoint — before the next starts,
 * so a resumed flow does not redo finished items.
 */
export abstract class BatchNode<
  S,
  C extends FlowContext = FlowContext,
  I = unknown,
  R = unknown,
> extends Node<S, C, I[], R[]> {
  abstract execItem(item: I, ctx: C): Promise<R>

  postItem(_shared: S, _item: I, _result: R, _ctx: C): Promise<void> | void {}

  override exec(): Promise<R[]> {
    throw new Error('BatchNode runs its items through execItem')
  }

  override async run(shared: S, ctx: C): Promise<Action | undefined> {
    const items = await this.prep(shared, ctx)
    const results: R[] = []
    for (const item of items) {
      ctx.signal.throwIfAborted()
      const result = await withRetry(() => this.execItem(item, ctx), {
        policy: this.retry,
        signal: ctx.signal,
        onRetry: ctx.onRetry,
      })
      results.push(result)
      await this.postItem(shared, item, result, ctx)
      await ctx.checkpoint()
    }
    return this.post(shared, items, results, ctx)
  }
}
