import { sleep, yieldToEventLoop } from '../lib/sleep.js'
import { type DemoVoice, demoOutline, demoSection, demoStyle } from './demo-text.js'
import type { ChatMessage, LlmClient, LlmRequest, LlmResult } from './llm.js'

export interface DemoOptions {
  /** Pause between tokens, like a real model's pacing; 0 streams as fast as possible. Default 20. */
  tokenDelayMs?: number
  /**
   * Marks each token of a section with the time it was produced, `[t=<ms since epoch>]`, so
   * a benchmark reading the stream can tell how old a token is when it arrives: the time a
   * token waits to be coalesced into an event comes before the event's `ts`. Default false.
   */
  stampTokens?: boolean
  /** Most tokens (words) one answer may have, like a real model's `max_completion_tokens`. */
  maxOutputTokens?: number
}

/** Splits text into word-sized tokens that concatenate back to the exact text. */
const tokenize = (text: string): string[] => text.match(/\s*\S+/g) ?? []

/**
 * The line of the task that carries the request's user text as JSON: `workflow/article/
 * prompts.ts` writes it (`DATA_LINE_PREFIX`); llm/ may not import the workflow, so it is
 * spelled again here.
 */
const DATA_LINE = /^Request data \(JSON\): (\{.*\})$/m

/** The audience of a request's data line, when it names one. */
function audienceOf(task: string): string | undefined {
  const line = DATA_LINE.exec(task)?.[1]
  if (line === undefined) return undefined
  try {
    const data: unknown = JSON.parse(line)
    const audience = (data as { audience?: unknown } | null)?.audience
    return typeof audience === 'string' && audience.trim() ? audience.trim() : undefined
  } catch {
    return undefined
  }
}

/**
 * What the prompts ask for, read back from them as a real model would read them
 * (`workflow/article/prompts.ts` words them): the audience in the request data, the words
 * asked of a section, the tone asked of the style pass.
 */
export function readVoice(messages: ChatMessage[]): DemoVoice {
  // The first user message is the task; later ones (a continuation) add nothing to it.
  const task = messages.find((m) => m.role === 'user')?.content ?? ''
  const audience = audienceOf(task)
  const words = task.match(/\bin about\s+(\d+)\s+words of plain prose\b/)?.[1]
  const tone = task.match(
    /^Rewrite this draft in an? [a-z, ]*?\b(conversational|professional|playful) tone\b/m,
  )?.[1] as DemoVoice['tone']
  return {
    ...(audience ? { audience } : {}),
    ...(words ? { words: Number(words) } : {}),
    ...(tone ? { tone } : {}),
  }
}

function write(request: LlmRequest): string {
  const { hint } = request
  const voice = readVoice(request.messages)
  switch (hint.task) {
    case 'outline': {
      const { title, sections } = demoOutline(hint.topic)
      return `title: ${JSON.stringify(title)}\nsections:\n${sections.map((s) => `  - ${JSON.stringify(s)}`).join('\n')}\n`
    }
    case 'section':
      return carryOn(demoSection(hint.topic, hint.title, voice, hint.index), hint.continues)
    case 'style':
      return carryOn(demoStyle(hint.topic, hint.title, hint.draft, voice), hint.continues)
  }
}

/**
 * The rest of `text` after what was already written: the demo writes the same text every
 * time, so it carries on exactly where a cut answer stopped. Text it would not have written
 * (another model's) gets the whole answer; the workflow trims what repeats.
 */
function carryOn(text: string, written: string | undefined): string {
  return written && text.startsWith(written) ? text.slice(written.length) : text
}

/** The offline `demo` provider: no key, no network, deterministic per topic. */
export function createDemoClient(options: DemoOptions = {}): LlmClient {
  const delay = options.tokenDelayMs ?? 20
  return {
    provider: 'demo',
    model: 'inkflow-demo',
    async complete(request: LlmRequest): Promise<LlmResult> {
      const { signal } = request
      const stamp = options.stampTokens === true && request.hint.task === 'section'
      let text = write(request)
      let tokens = tokenize(text)
      // Cut at the output cap, as a real model stops at `max_completion_tokens`.
      if (options.maxOutputTokens !== undefined && tokens.length > options.maxOutputTokens) {
        tokens = tokens.slice(0, options.maxOutputTokens)
        text = tokens.join('')
      }
      if (stamp) text = ''
      for (const [i, token] of tokens.entries()) {
        if (delay > 0) await sleep(delay, signal)
        else if (i % 32 === 0) await yieldToEventLoop()
        signal.throwIfAborted()
        const sent = stamp ? `${token}[t=${Date.now()}]` : token
        if (stamp) text += sent
        request.onToken?.(sent)
      }
      const promptTokens = Math.ceil(request.messages.reduce((n, m) => n + m.content.length, 0) / 4)
      return {
        text,
        usage: {
          promptTokens,
          completionTokens: tokens.length,
          totalTokens: promptTokens + tokens.length,
          estimated: false,
        },
      }
    },
  }
}
