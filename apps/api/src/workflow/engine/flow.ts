import type { Action, FlowContext, Node } from './node.js'

/**
 * Runs nodes from `start`, following each node's returned action to its successor, and
 * checkpoints after every node. Nodes whose result is already in the shared state are
 * skipped along their default action, which is how a flow resumes from a checkpoint.
 */
export class Flow<S, C extends FlowContext = FlowContext> {
  constructor(private readonly start: Node<S, C>) {}

  async run(shared: S, ctx: C): Promise<void> {
    let node: Node<S, C> | undefined = this.start
    while (node) {
      ctx.signal.throwIfAborted()
      let action: Action | undefined = 'default'
      if (!node.isComplete(shared)) {
        action = await node.run(shared, ctx)
        await ctx.checkpoint()
      }
      node = node.successors.get(action ?? 'default')
    }
  }
}
