import { isSection } from './inkflow-prompts.js'
import type { ReplyScript } from './reply.js'

/**
 * Named misbehaviours of real model servers, for trying inkflow by hand (`cli.ts`); tests
 * script `StubReply` directly. Each fault hits the first section call and every later call
 * that carries on from it, so a job meets it as many times as it tries.
 */
export const MODES: Record<string, { about: string; reply: ReplyScript }> = {
  good: { about: 'answers every request well', reply: () => ({ tokenDelayMs: 20 }) },
  stall: {
    about: 'a section: 5 words, then keep-alive comments only, forever',
    reply: (r) => (isSection(r) ? { hangAfterTokens: 5, keepAliveMs: 500, tokenDelayMs: 20 } : {}),
  },
  silent: {
    about: 'a section: headers, then nothing at all',
    reply: (r) => (isSection(r) ? { hangAfterTokens: 0 } : {}),
  },
  'ignore-cap': {
    about: 'a section: ignores max_completion_tokens and never stops (a runaway model)',
    reply: (r) => (isSection(r) ? { ignoreCap: true, endless: true, tokenDelayMs: 1 } : {}),
  },
  'no-usage': {
    about: 'reports no usage (many local servers)',
    reply: () => ({ omitUsage: true }),
  },
  'refuse-max-completion-tokens': {
    about: 'answers 400 "Extra inputs are not permitted" to max_completion_tokens (older vLLM)',
    reply: () => ({ refuseParams: ['max_completion_tokens'] }),
  },
  trickle: {
    about: 'one word every 300 ms: slow but never silent for long',
    reply: () => ({ tokenDelayMs: 300 }),
  },
  cut: {
    about: 'drops the connection after 4 words of every section',
    reply: (r) => (isSection(r) ? { dropAfterTokens: 4, tokenDelayMs: 20 } : {}),
  },
  'error-text': {
    about: 'answers 500 with an error naming a file path on the server',
    reply: () => ({
      status: 500,
      errorMessage: "Cannot find module '/srv/models/llama/tokenizer.json'",
    }),
  },
}
