import { type LlmStub, startLlmStub } from '@inkflow/llm-stub'
import { afterEach, describe, expect, it } from 'vitest'
import { type ChatBody, chainsByTopic, runChains } from '../src/load/model-call-chains.js'

const body = (content: string): ChatBody => ({
  model: 'm',
  stream: true,
  messages: [
    { role: 'system', content: 'You are a writer.' },
    { role: 'user', content },
  ],
})

describe('chainsByTopic', () => {
  it('gives each job its own calls, in the order they were made', () => {
    const topics = ['bench topic warm 0001', 'bench topic warm 0010']
    const calls = [
      body('Plan an article about: bench topic warm 0010\nAnswer with YAML only'),
      body('Plan an article about: bench topic warm 0001\nAnswer with YAML only'),
      body('Article: "All about x" (about bench topic warm 0001).\nsection 1'),
      body('Rewrite this draft.\n\n# All about bench topic warm 0010\n\n## Origins'),
      body('a call naming no job'),
    ]
    expect(chainsByTopic(calls, topics)).toEqual([
      [calls[1], calls[2]],
      [calls[0], calls[3]],
    ])
  })
})

describe('runChains, the bare model client', () => {
  let stub: LlmStub | undefined
  afterEach(() => stub?.close())

  it('makes each chain’s calls one after the other, every chain at once', async () => {
    const wait = 30
    stub = await startLlmStub({ reply: () => ({ delayMs: wait }) })
    const chains = [0, 1, 2].map((job) =>
      ['outline', 'section 1', 'section 2'].map((step) => body(`job ${job} ${step}`)),
    )
    const timings = await runChains(stub.url, chains)

    // Every call reached the model as sent, and a chain's calls never overlapped: the stub
    // saw all first calls before any second one.
    expect(stub.requests.map((r) => r.body)).toHaveLength(9)
    expect(
      stub.requests
        .slice(0, 3)
        .map((r) => r.body.messages[1]?.content)
        .sort(),
    ).toEqual(['job 0 outline', 'job 1 outline', 'job 2 outline'])
    expect(stub.requests.every((r) => r.body.stream && !r.aborted)).toBe(true)
    // The stub's waits are a floor no client can beat: first words after two of them, the end
    // after three (less a few ms: a timer may fire a little early by `performance.now()`).
    for (const t of timings) {
      expect(t.firstContentMs).toBeGreaterThanOrEqual(2 * wait - 5)
      expect(t.doneMs).toBeGreaterThanOrEqual(Math.max(3 * wait - 5, t.firstContentMs))
    }
  })

  it('fails when the model refuses a call', async () => {
    stub = await startLlmStub({ reply: () => ({ status: 500 }) })
    await expect(runChains(stub.url, [[body('x')]])).rejects.toThrow('model call answered 500')
  })
})
