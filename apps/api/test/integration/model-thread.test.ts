import { startLlmStub } from '@inkflow/llm-stub'
import { afterAll, describe, expect, it } from 'vitest'
import { LlmError } from '../../src/llm/llm-error.js'
import { createThreadedLlm } from '../../src/llm/threaded-llm.js'

const stub = await startLlmStub({
  reply: ({ body }) => {
    if (body.messages[0]?.content === 'cut me') {
      return {
        text: 'one two three four five',
        errorAfterTokens: 3,
        errorMessage: 'disk /dev/sda1 full',
      }
    }
    const n = Number(body.messages[0]?.content.match(/call (\d+)/)?.[1])
    if (n === 5) return { status: 429, headers: { 'retry-after': '2' } }
    // Odd calls stream a token every 10 ms (0.4 s in all, so they still arrive in pieces
    // when other test files share the CPU); even ones arrive in one write.
    const text = `Answer ${n}: ${Array.from({ length: 40 }, (_, i) => `w${n}.${i}`).join(' ')}`
    return { text, tokenDelayMs: n % 2 === 1 ? 10 : 0 }
  },
})
const llm = createThreadedLlm({ apiKey: 'test-key', baseUrl: stub.url, model: 'stub-model' })
afterAll(() => stub.close())

describe('the model thread', () => {
  it('keeps the text of calls that stream together apart, whole and in order, and fails only the failed one', async () => {
    await llm.ready
    const calls = Array.from({ length: 8 }, async (_, n) => {
      let streamed = ''
      let pieces = 0
      const result = await llm.complete({
        messages: [{ role: 'user', content: `call ${n}` }],
        task: 'outline',
        signal: AbortSignal.timeout(10_000),
        onToken: (text) => {
          streamed += text
          pieces++
        },
      })
      return { n, result, streamed, pieces }
    })
    const outcomes = await Promise.allSettled(calls)
    for (const [n, outcome] of outcomes.entries()) {
      if (n === 5) {
        expect(outcome.status).toBe('rejected')
        const err = outcome.status === 'rejected' ? outcome.reason : undefined
        expect(err).toBeInstanceOf(LlmError)
        expect(err).toMatchObject({ code: 'llm_rate_limited', retryAfterMs: 2000 })
        continue
      }
      if (outcome.status !== 'fulfilled') throw outcome.reason
      const { result, streamed, pieces } = outcome.value
      expect(result.text).toMatch(new RegExp(`^Answer ${n}: w${n}\\.0 .* w${n}\\.39$`))
      expect(streamed).toBe(result.text)
      // A paced answer reaches the caller as it streams, not only at its end.
      if (n % 2 === 1) expect(pieces).toBeGreaterThan(1)
    }
  })

  it('hands a failed call back in our words, with what the server said and what the call cost', async () => {
    let streamed = ''
    const failure = await llm
      .complete({
        messages: [{ role: 'user', content: 'cut me' }],
        task: 'outline',
        signal: AbortSignal.timeout(10_000),
        onToken: (text) => {
          streamed += text
        },
      })
      .then(
        () => undefined,
        (err: unknown) => err,
      )
    expect(failure).toBeInstanceOf(LlmError)
    expect(failure).toMatchObject({
      code: 'llm_unavailable',
      message: 'the model failed in the middle of its answer',
      detail: 'disk /dev/sda1 full',
      usage: { promptTokens: 2, completionTokens: 4, totalTokens: 6, estimated: true },
    })
    expect(streamed).toBe('one two three')
  })
})
