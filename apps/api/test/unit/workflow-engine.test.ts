import { describe, expect, it } from 'vitest'
import { BatchNode } from '../../src/workflow/engine/batch-node.js'
import { Flow } from '../../src/workflow/engine/flow.js'
import { type FlowContext, Node } from '../../src/workflow/engine/node.js'
import { backoffDelay, DEFAULT_RETRY_POLICY } from '../../src/workflow/engine/retry.js'

interface State {
  log: string[]
  items: number[]
  done?: boolean
}

const retryable = (message: string) => Object.assign(new Error(message), { retryable: true })

function context(signal = new AbortController().signal) {
  const checkpoints: string[][] = []
  const retries: number[] = []
  const ctx = (state: State): FlowContext => ({
    signal,
    checkpoint: async () => {
      checkpoints.push([...state.log])
    },
    onRetry: ({ attempt }) => {
      retries.push(attempt)
    },
  })
  return { ctx, checkpoints, retries }
}

class Record extends Node<State> {
  constructor(
    private readonly name: string,
    private readonly action?: string,
  ) {
    super({ baseDelayMs: 1 })
  }
  override prep(state: State) {
    state.log.push(`${this.name}:prep`)
  }
  override async exec() {
    return this.name
  }
  override post(state: State) {
    state.log.push(`${this.name}:post`)
    return this.action
  }
}

class Flaky extends Node<State, FlowContext, undefined, string> {
  calls = 0
  constructor(private readonly failures: number) {
    super({ maxAttempts: 3, baseDelayMs: 1 })
  }
  override isComplete(state: State) {
    return state.done === true
  }
  override async exec() {
    if (this.calls++ < this.failures) throw retryable('flaky')
    return 'ok'
  }
  override post(state: State) {
    state.done = true
    return undefined
  }
}

class Items extends BatchNode<State, FlowContext, number, number> {
  override prep(state: State) {
    return [1, 2, 3].filter((n) => !state.items.includes(n))
  }
  override async execItem(n: number) {
    return n * 10
  }
  override postItem(state: State, n: number) {
    state.items.push(n)
  }
}

describe('the workflow engine', () => {
  it('runs prep, exec and post of each node in order and follows actions', async () => {
    const start = new Record('a', 'left')
    start.next(new Record('b'), 'right')
    start.next(new Record('c'), 'left').next(new Record('d'))
    const state: State = { log: [], items: [] }
    const { ctx, checkpoints } = context()
    await new Flow(start).run(state, ctx(state))
    expect(state.log).toEqual(['a:prep', 'a:post', 'c:prep', 'c:post', 'd:prep', 'd:post'])
    expect(checkpoints).toHaveLength(3)
  })

  it('retries a retryable failure with announcements, then gives up after maxAttempts', async () => {
    const state: State = { log: [], items: [] }
    const { ctx, retries } = context()
    const flaky = new Flaky(2)
    await new Flow(flaky).run(state, ctx(state))
    expect(flaky.calls).toBe(3)
    expect(retries).toEqual([2, 3])
    const hopeless = new Flaky(5)
    await expect(new Flow(hopeless).run({ log: [], items: [] }, ctx(state))).rejects.toThrow(
      'flaky',
    )
    expect(hopeless.calls).toBe(3)
  })

  it('counts transport faults and invalid output against separate budgets', async () => {
    const output = (message: string) => Object.assign(retryable(message), { budget: 'output' })
    class Mixed extends Node<State> {
      calls = 0
      constructor(private readonly failures: Error[]) {
        super({ maxAttempts: 3, maxOutputAttempts: 2, baseDelayMs: 1 })
      }
      override async exec() {
        const failure = this.failures[this.calls++]
        if (failure) throw failure
        return 'ok'
      }
    }
    const state: State = { log: [], items: [] }
    // Two transport faults and one invalid answer: within both budgets (3 and 2 tries).
    const both = new Mixed([retryable('429'), output('bad'), retryable('500')])
    await new Flow(both).run(state, context().ctx(state))
    expect(both.calls).toBe(4)
    const tooManyBad = new Mixed([output('bad'), retryable('500'), output('bad again')])
    await expect(new Flow(tooManyBad).run(state, context().ctx(state))).rejects.toThrow('bad again')
    expect(tooManyBad.calls).toBe(3)
    const tooManyFaults = new Mixed([retryable('1'), output('bad'), retryable('2'), retryable('3')])
    await expect(new Flow(tooManyFaults).run(state, context().ctx(state))).rejects.toThrow('3')
    expect(tooManyFaults.calls).toBe(4)
  })

  it('does not retry an error that is not retryable', async () => {
    class Broken extends Node<State> {
      calls = 0
      override async exec() {
        this.calls++
        throw new Error('bug')
      }
    }
    const broken = new Broken()
    const state: State = { log: [], items: [] }
    await expect(new Flow(broken).run(state, context().ctx(state))).rejects.toThrow('bug')
    expect(broken.calls).toBe(1)
  })

  it('checkpoints after each batch item and skips finished items and nodes on resume', async () => {
    const flaky = new Flaky(0)
    flaky.next(new Items())
    const state: State = { log: [], items: [2], done: true }
    const { ctx, checkpoints } = context()
    await new Flow(flaky).run(state, ctx(state))
    expect(flaky.calls).toBe(0)
    expect(state.items).toEqual([2, 1, 3])
    expect(checkpoints).toHaveLength(3) // two items, then the node
  })

  it('stops with the abort reason when the signal aborts during a backoff', async () => {
    const controller = new AbortController()
    class Slow extends Node<State> {
      constructor() {
        super({ baseDelayMs: 60_000, maxDelayMs: 60_000 })
      }
      override async exec(): Promise<never> {
        setTimeout(() => controller.abort(new Error('stop now')), 10)
        throw retryable('try later')
      }
    }
    const state: State = { log: [], items: [] }
    await expect(
      new Flow(new Slow()).run(state, context(controller.signal).ctx(state)),
    ).rejects.toThrow('stop now')
  })

  it('backs off exponentially with jitter, capped, never below Retry-After', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 }
    expect(backoffDelay(policy, 2, null, () => 0)).toBe(50)
    expect(backoffDelay(policy, 2, null, () => 1)).toBe(100)
    expect(backoffDelay(policy, 4, null, () => 1)).toBe(400)
    expect(backoffDelay(policy, 10, null, () => 1)).toBe(1000)
    expect(backoffDelay(policy, 2, { retryAfterMs: 700 }, () => 0)).toBe(700)
  })
})
