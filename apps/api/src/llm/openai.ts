import OpenAI from 'openai'
import { readAnswer } from './answer-stream.js'
import { startCallDeadline } from './call-deadline.js'
import type { LlmClient, LlmRequest, LlmResult } from './llm.js'
import type { LlmError } from './llm-error.js'
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
