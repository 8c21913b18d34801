import { DEFAULT_RETRY_POLICY, type RetryNotice, type RetryPolicy, withRetry } from './retry.js'

/** What every node sees besides the shared state. */
export interface FlowContext {
  /** Aborts the whole flow: a cancel or a shutdown. */
  signal: AbortSignal
  /** Announces a retry of a failed `exec` before its backoff. */
  onRetry?: (notice: RetryNotice) => Promise<void> | void
  /** Persists the shared state; called after each node and each batch item. */
  checkpoint: () => Promise<void>
}

/** The action a node returns to pick its successor; `default` when it returns nothing. */
export type Action = string

/**
 * A PocketFlow-style node: `prep` reads the shared state, `exec` does the work (retried
 * with backoff, never touching the shared state), `post` writes the result back and picks
 * the next action.
 */
export abstract class Node<S, C extends FlowContext = FlowContext, P = unknown, E = unknown> {
  readonly successors = new Map<Action, Node<S, C>>()
  readonly retry: RetryPolicy

  constructor(retry: Partial<RetryPolicy> = {}) {
    this.retry = { ...DEFAULT_RETRY_POLICY, ...retry }
  }

  /** Wires `node` to run after this one when this one returns `action`. Returns `node` for chaining. */
  next<N extends Node<S, C>>(node: N, action: Action = 'default'): N {
    this.successors.set(action, node)
    return node
  }

  /** True when the shared state already holds this node's result (a resumed flow skips it). */
  isComplete(_shared: S): boolean {
    return false
  }

  prep(_shared: S, _ctx: C): Promise<P> | P {
    return undefined as P
  }

  abstract exec(prep: P, ctx: C): Promise<E>

  post(_shared: S, _prep: P, _exec: E, _ctx: C): Promise<Action | undefined> | Action | undefined {
    return undefined
  }

  async run(shared: S, ctx: C): Promise<Action | undefined> {
    const prep = await this.prep(shared, ctx)
    const result = await this.execWithRetry(prep, ctx)
    return this.post(shared, prep, result, ctx)
  }

  protected execWithRetry(prep: P, ctx: C): Promise<E> {
    return withRetry(() => this.exec(prep, ctx), {
      policy: this.retry,
      signal: ctx.signal,
      onRetry: ctx.onRetry,
    })
  }
}
