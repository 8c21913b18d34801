import { sleep, yieldToEventLoop } from '../lib/sleep.js'
import { demoRevision } from './demo-revision.js'
import {
  type DemoVoice,
  demoOutline,
  demoSection,
  demoStyle,
  topicInSentence,
} from './demo-text.js'
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

/** What the prompts put in their data line (`workflow/article/prompts.ts`). */
interface RequestData {
  topic?: unknown
  sections?: unknown
  section?: unknown
  draft?: unknown
  audience?: unknown
  language?: unknown
  current?: unknown
  instruction?: unknown
}

function requestData(task: string): RequestData {
  const line = DATA_LINE.exec(task)?.[1]
  if (line === undefined) return {}
  try {
    const data: unknown = JSON.parse(line)
    return typeof data === 'object' && data !== null ? (data as RequestData) : {}
  } catch {
    return {}
  }
}

const asString = (value: unknown): string => (typeof value === 'string' ? value : '')

/** The first user message: the task; later ones (a continuation) add nothing to it. */
const taskOf = (messages: ChatMessage[]) => messages.find((m) => m.role === 'user')?.content ?? ''

/**
 * What the prompts ask for, read back from them as a real model would read them
 * (`workflow/article/prompts.ts` words them): the audience in the request data, the words
 * asked of a section, the tone asked of the style pass.
 */
export function readVoice(messages: ChatMessage[]): DemoVoice {
  const task = taskOf(messages)
  const data = requestData(task)
  const audience = asString(data.audience).trim()
  const language = asString(data.language).trim()
  const words = task.match(/\bin about\s+(\d+)\s+words of plain prose\b/)?.[1]
  const tone = task.match(
    /^Rewrite this draft in an? [a-z, ]*?\b(conversational|professional|playful) tone\b/m,
  )?.[1] as DemoVoice['tone']
  return {
    ...(audience ? { audience } : {}),
    ...(words ? { words: Number(words) } : {}),
    ...(tone ? { tone } : {}),
    ...(language ? { language } : {}),
  }
}

/** The whole answer the demo gives, from the request data the messages carry. */
function write(request: LlmRequest): string {
  const data = requestData(taskOf(request.messages))
  const topic = asString(data.topic)
  const voice = readVoice(request.messages)
  switch (request.task) {
    case 'outline': {
      const { title, sections } = demoOutline(topic)
      return `title: ${JSON.stringify(title)}\nsections:\n${sections.map((s) => `  - ${JSON.stringify(s)}`).join('\n')}\n`
    }
    case 'section': {
      const sections = Array.isArray(data.sections) ? data.sections : []
      const index = typeof data.section === 'number' ? data.section - 1 : -1
      return demoSection(topic, asString(sections[index]), voice, Math.max(0, index))
    }
    case 'style': {
      const draft = asString(data.draft)
      const title = /^# (.*)$/m.exec(draft)?.[1] ?? ''
      return demoStyle(topic, title, draft, voice)
    }
    case 'revise':
      return demoRevision(
        topicInSentence(topic),
        asString(data.current),
        asString(data.instruction),
      )
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
      const stamp = options.stampTokens === true && request.task === 'section'
      // A section or style pass carried on: its own cut-off words are the last assistant message.
      const written =
        request.task === 'outline'
          ? undefined
          : request.messages.findLast((m) => m.role === 'assistant')?.content
      let text = carryOn(write(request), written)
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
