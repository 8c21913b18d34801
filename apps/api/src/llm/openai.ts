import OpenAI from 'openai'
import type { LlmClient, LlmRequest, LlmResult } from './llm.js'
import { LlmError } from './llm-error.js'

export interface OpenAiOptions {
  apiKey: string
  /** Any OpenAI-compatible server (Ollama, vLLM, …); the SDK's default when absent. */
  baseUrl?: string
  model: string
  /** Per-request timeout. Default 60 s. */
  timeoutMs?: number
  /** Most tokens one answer may have (`max_completion_tokens`); the server's default when absent. */
  maxOutputTokens?: number
}

/** Reads `Retry-After` as seconds or an HTTP date. */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const value = headers?.get('retry-after')
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

/** Maps the SDK's errors to `LlmError`s the workflow can decide on. */
function classify(err: unknown): LlmError {
  if (err instanceof LlmError) return err
  if (err instanceof OpenAI.APIConnectionTimeoutError) {
    return new LlmError('llm_timeout', 'the model did not answer in time', {
      retryable: true,
      cause: err,
    })
  }
  if (err instanceof OpenAI.APIError && !(err instanceof OpenAI.APIConnectionError)) {
    // An error message the server sent inside the stream, after a 200: retry the call.
    if (err.status === undefined) {
      return new LlmError('llm_unavailable', `the model failed mid-answer: ${err.message}`, {
        retryable: true,
        cause: err,
      })
    }
    const after = retryAfterMs(err.headers)
    const opts = { cause: err, retryAfterMs: after }
    if (err.status === 429) {
      return new LlmError('llm_rate_limited', 'the model is rate limited', {
        ...opts,
        retryable: true,
      })
    }
    if (err.status === 401 || err.status === 403) {
      return new LlmError('llm_auth', 'the model rejected the API key', {
        ...opts,
        retryable: false,
      })
    }
    if (err.status === 408) {
      return new LlmError('llm_timeout', 'the model timed out', { ...opts, retryable: true })
    }
    if (err.status >= 500) {
      return new LlmError('llm_unavailable', `the model answered ${err.status}`, {
        ...opts,
        retryable: true,
      })
    }
    return new LlmError('llm_bad_request', `the model refused the request (${err.status})`, {
      ...opts,
      retryable: false,
    })
  }
  // Connection errors and streams cut off mid-answer.
  return new LlmError('llm_unavailable', 'the connection to the model failed', {
    retryable: true,
    cause: err,
  })
}

/** The `openai` provider: the official SDK, streaming, against OpenAI or any compatible server. */
export function createOpenAiClient(options: OpenAiOptions): LlmClient {
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseUrl,
    timeout: options.timeoutMs ?? 60_000,
    // The workflow retries itself, so each retry is announced as a `job.retrying` event.
    maxRetries: 0,
  })
  // Node loads its fetch (undici) on first use: ~100-200 ms of module loading that would
  // otherwise land on the first jobs' first words. Load it now, while the server starts.
  void fetch('data:,').catch(() => {})

  return {
    provider: 'openai',
    model: options.model,
    async complete(request: LlmRequest): Promise<LlmResult> {
      const { signal } = request
      try {
        const stream = await client.chat.completions.create(
          {
            model: options.model,
            messages: request.messages,
            stream: true,
            stream_options: { include_usage: true },
            max_completion_tokens: options.maxOutputTokens,
          },
          { signal },
        )
        let text = ''
        let usage: LlmResult['usage']
        // An error message mid-answer or a cut stream throws here, retryably (`classify`).
        for await (const chunk of stream) {
          const delta = chunk.choices[0]?.delta?.content
          if (delta) {
            text += delta
            request.onToken?.(delta)
          }
          if (chunk.usage) {
            usage = {
              promptTokens: chunk.usage.prompt_tokens,
              completionTokens: chunk.usage.completion_tokens,
              totalTokens: chunk.usage.total_tokens,
            }
          }
        }
        signal.throwIfAborted()
        return { text, usage }
      } catch (err) {
        if (signal.aborted) throw signal.reason
        throw classify(err)
      }
    },
  }
}
