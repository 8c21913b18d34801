import { startLlmStub } from '@inkflow/llm-stub'
import { afterAll, describe, expect, it } from 'vitest'
import { preciseNow, readStamp } from '../src/sse/first-words-stamp.js'

// The stub writes the stamp and the bench reads it: one format, checked across both.
describe('llm-stub stampFirstToken', () => {
  const stubs: { close(): Promise<void> }[] = []
  afterAll(() => Promise.all(stubs.map((s) => s.close())))

  async function deltas(reply: { stampFirstToken?: boolean; tokenDelayMs?: number }) {
    const stub = await startLlmStub({
      reply: () => ({ text: 'title: "x"\nsections: []', ...reply }),
    })
    stubs.push(stub)
    const res = await fetch(`${stub.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'YAML' }] }),
    })
    const body = await res.text()
    return body
      .split('\n\n')
      .filter((f) => f.startsWith('data: {'))
      .map((f) => JSON.parse(f.slice(6)) as { choices: { delta?: { content?: string } }[] })
      .map((c) => c.choices[0]?.delta?.content)
      .filter((t): t is string => !!t)
  }

  it('stamps the first token only, with the time it was sent', async () => {
    const before = preciseNow()
    const tokens = await deltas({ stampFirstToken: true, tokenDelayMs: 5 })
    const after = preciseNow()
    expect(tokens[0]).toMatch(/^# t=\d{13}\.\d{3}\ntitle:$/)
    const stamp = readStamp(tokens[0]!)
    expect(stamp).toBeGreaterThanOrEqual(before)
    expect(stamp).toBeLessThanOrEqual(after)
    expect(tokens.slice(1).map(readStamp).filter(Number.isFinite)).toEqual([])
    expect(tokens.join('').replace(/^# t=[\d.]+\n/, '')).toBe('title: "x"\nsections: []')
  })

  it('sends the text unstamped by default', async () => {
    const tokens = await deltas({})
    expect(tokens[0]).toBe('title:')
    expect(tokens.map(readStamp).filter(Number.isFinite)).toEqual([])
  })
})
