import type { Prices, Usage } from '@inkflow/shared'
import type { ChatMessage } from './llm.js'

/**
 * Characters per token when a server does not say: about right for English prose with the
 * tokenizers of current chat models (it counts more tokens than there are for code and fewer
 * for scripts without spaces, so it is a bound for a bill, not an invoice).
 */
export const CHARS_PER_TOKEN = 4

/** Tokens of `chars` characters, counted on our side (≈ 4 characters a token). */
export const estimateTokens = (chars: number): number => Math.ceil(chars / CHARS_PER_TOKEN)

/** Tokens of a prompt, counted on our side. */
export const estimatePromptTokens = (messages: readonly ChatMessage[]): number =>
  estimateTokens(messages.reduce((n, m) => n + m.content.length, 0))

/**
 * The usage of a call whose server reported none: the prompt that was sent (or none, for a
 * call refused before the server read it) and the text received (or its length in
 * characters), marked `estimated`.
 */
export function estimateUsage(
  prompt: readonly ChatMessage[] | 0,
  received: string | number,
): Usage {
  const promptTokens = prompt === 0 ? 0 : estimatePromptTokens(prompt)
  const completionTokens = estimateTokens(typeof received === 'number' ? received : received.length)
  return {
    promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    estimated: true,
  }
}

/** No tokens yet. */
export const NO_USAGE: Usage = {
  promptTokens: 0,
  completionTokens: 0,
  totalTokens: 0,
  estimated: false,
}

/** Two counts together; estimated if either is. */
export function addUsage(total: Usage, more: Usage | undefined): Usage {
  if (!more) return total
  return {
    promptTokens: total.promptTokens + more.promptTokens,
    completionTokens: total.completionTokens + more.completionTokens,
    totalTokens: total.totalTokens + more.totalTokens,
    estimated: total.estimated || more.estimated,
  }
}

/**
 * `usage` with its `cost` in USD at `prices` (per million prompt and output tokens), rounded
 * to a millionth of a cent; without prices, `usage` as it is (a cost it had is dropped).
 */
export function withCost(usage: Usage, prices: Prices | null | undefined): Usage {
  const { cost: _cost, ...tokens } = usage
  if (!prices) return tokens
  const usd =
    (usage.promptTokens * prices.inputPerMTok + usage.completionTokens * prices.outputPerMTok) / 1e6
  return { ...tokens, cost: Math.round(usd * 1e8) / 1e8 }
}
