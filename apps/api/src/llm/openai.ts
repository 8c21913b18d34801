import { createParser, type EventSourceMessage } from 'eventsource-parser'
import OpenAI from 'openai'
import { startCallDeadline } from './call-deadline.js'
import type { LlmClient, LlmRequest, LlmResult } from './llm.js'
import { LlmError } from './llm-error.js'
import { classify, fetchWithErrorBodies, refusesParam } from './openai-errors.js'
import { CHARS_PER_TOKEN, estimateUsage } from './usage.js'

export interface OpenAiOptions {
  apiKey: string
  /** Any OpenAI-compatible server (Ollama, vLLM, …); the SDK's default when absent. */
  baseUrl?: string
  model: string
  /**
   * The longest wait for an answer's first delta, and for each next one (keep-alive comments
   * do not count). Default 60 s.
   */
  timeoutMs?: number
  /**
   * Most tokens one answer may have: sent as `max_completion_tokens` (`max_tokens` to a server
   * that refuses it) and counted here too, ≈ 4 characters a token, for servers that ignore
   * it. The server's default, and no cut of ours, when absent.
   */
  maxOutputTokens?: number
}

type CapParam = 'max_completion_tokens' | 'max_tokens'

/** The parts of a streamed `chat.completion.chunk` inkflow reads. */
interface AnswerChunk {
  choices?:
    | {
        delta?: { content?: string | null; reasoning_content?: string | null } | null
        finish_reason?: string | null
      }[]
    | null
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null
  error?: { message?: string } | null
}

/**
 * Reads a streamed answer (Server-Sent Events) with `eventsource-parser`, handing each chunk
 * to `onChunk` until `[DONE]`; the body is read to its end so the connection can carry the
 * next call. `onChunk` answering `'stop'` ends the reading there: the body is cancelled, which
 * closes the connection, so the server stops writing (and billing). Comment lines
 * (`: keep-alive`) reach no callback. An error message mid-answer (`event: error`, or a chunk
 * with `error`) fails the call, retryably, as it would with the SDK's own stream; what the
 * server said goes to the error's `detail`, not its message.
 *
 * Why not the SDK's stream: it copies every body piece into a growing byte buffer, scans
 * it for blank lines and passes each message through several async generators. On a fresh
 * process that work, on the model thread, is what fifty jobs' first answers wait for:
 * `first-words`' first burst 966 ms with the SDK's stream, 889 ms with this parser (medians
 * of five, measured side by side).
 */
async function readAnswer(
  response: Response,
  onChunk: (chunk: AnswerChunk) => 'stop' | undefined,
): Promise<void> {
  if (!response.body) {
    throw new LlmError('llm_unavailable', 'the model sent no answer', { retryable: true })
  }
  let done = false
  let stopped = false
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      if (done || stopped) return
      if (message.data.startsWith('[DONE]')) {
        done = true
        return
      }
      let chunk: AnswerChunk
      try {
        chunk = JSON.parse(message.data)
      } catch (cause) {
        throw new LlmError('llm_unavailable', 'the model sent a chunk that is not JSON', {
          retryable: true,
          cause,
          detail: message.data.slice(0, 500),
        })
      }
      if (message.event === 'error' || chunk?.error) {
        throw new LlmError('llm_unavailable', 'the model failed in the middle of its answer', {
          retryable: true,
          detail: chunk?.error?.message ?? message.data.slice(0, 500),
        })
      }
      if (onChunk(chunk) === 'stop') stopped = true
    },
  })
  const decoder = new TextDecoder()
  for await (const piece of response.body) {
    parser.feed(decoder.decode(piece, { stream: true }))
    if (stopped) return // leaving the loop cancels the body
  }
  parser.feed(decoder.decode())
}

/**
 * The `openai` provider: the official SDK, streaming, against OpenAI or any compatible server,
 * with what a server may not do done here: the deadlines, the output cap and the usage count.
 */
export function createOpenAiClient(options: OpenAiOptions): LlmClient {
  const timeoutMs = options.timeoutMs ?? 60_000
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseUrl,
    // The call's own deadline (`startCallDeadline`) covers the headers too, and says which
    // wait ran out; the SDK's is only a backstop, later so that it never speaks first.
    timeout: timeoutMs + 1000,
    // The workflow retries itself, so each retry is announced as a `job.retrying` event.
    maxRetries: 0,
    fetch: fetchWithErrorBodies,
  })
  const maxChars =
    options.maxOutputTokens === undefined ? Infinity : options.maxOutputTokens * CHARS_PER_TOKEN
  // This client talks to one server: once it refuses `max_completion_tokens` (older vLLM),
  // every later call of the process sends `max_tokens`.
  let capParam: CapParam = 'max_completion_tokens'
  // Node loads its fetch (undici) on first use: ~100-200 ms of module loading that would
  // otherwise land on the first jobs' first words. Load it now, while the server starts.
  void fetch('data:,').catch(() => {})

  const send = (request: LlmRequest, signal: AbortSignal, param: CapParam) =>
    client.chat.completions
      .create(
        {
          model: options.model,
          messages: request.messages,
          stream: true,
          stream_options: { include_usage: true },
          ...(options.maxOutputTokens === undefined ? {} : { [param]: options.maxOutputTokens }),
        },
        { signal },
      )
      .asResponse()

  /** The response to `request`, sending `max_tokens` instead to a server that refuses the other. */
  const open = async (request: LlmRequest, signal: AbortSignal) => {
    const param = capParam
    try {
      return await send(request, signal, param)
    } catch (err) {
      if (param !== 'max_completion_tokens' || !refusesParam(err, param)) throw err
      capParam = 'max_tokens'
      return await send(request, signal, capParam)
    }
  }

  return {
    provider: 'openai',
    model: options.model,
    async complete(request: LlmRequest): Promise<LlmResult> {
      const { signal } = request
      const deadline = startCallDeadline(timeoutMs)
      let text = ''
      let accepted = false
      try {
        // The SDK builds, sends and checks the request (status errors, aborts); the answer's
        // stream is read here (see `readAnswer`).
        const response = await open(request, AbortSignal.any([signal, deadline.signal]))
        accepted = true
        let usage: LlmResult['usage']
        let finishReason: LlmResult['finishReason']
        // An error message mid-answer, a cut stream or a deadline throws here (`classify`).
        await readAnswer(response, (chunk) => {
          const choice = chunk.choices?.[0]
          let delta = choice?.delta?.content ?? ''
          if (delta || choice?.delta?.reasoning_content || choice?.finish_reason || chunk.usage)
            deadline.progress()
          if (choice?.finish_reason === 'length') finishReason = 'length'
          else if (choice?.finish_reason) finishReason ??= 'stop'
          if (chunk.usage) {
            usage = {
              promptTokens: chunk.usage.prompt_tokens,
              completionTokens: chunk.usage.completion_tokens,
              totalTokens: chunk.usage.total_tokens,
              estimated: false,
            }
          }
          // Our own cap, for servers that ignore theirs: the answer ends there, as `length`.
          const over = text.length + delta.length > maxChars
          if (over) delta = delta.slice(0, maxChars - text.length)
          if (delta) {
            text += delta
            request.onToken?.(delta)
          }
          if (!over) return undefined
          finishReason = 'length'
          return 'stop'
        })
        signal.throwIfAborted()
        return { text, usage: usage ?? estimateUsage(request.messages, text), finishReason }
      } catch (err) {
        if (signal.aborted) throw signal.reason
        const error = deadline.signal.aborted ? (deadline.signal.reason as LlmError) : classify(err)
        // A refused request cost nothing; one the server took (or timed out on) cost its
        // prompt and what came of it.
        const taken = accepted || error.code === 'llm_timeout'
        if (!taken && text === '') throw error
        throw error.withUsage(estimateUsage(taken ? request.messages : 0, text))
      } finally {
        deadline.stop()
      }
    },
  }
}
