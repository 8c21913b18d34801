import OpenAI from 'openai'
import { LlmError } from './llm-error.js'

/** Reads `Retry-After` as seconds or an HTTP date. */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const value = headers?.get('retry-after')
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

/** What the server said about a refused request, for the logs (and `refusesParam`). */
const serverText = (err: InstanceType<typeof OpenAI.APIError>): string =>
  err.error === undefined ? err.message : JSON.stringify(err.error).slice(0, 2000)

/**
 * Maps the SDK's errors to `LlmError`s the workflow can decide on, in our words; what the
 * server or the HTTP client said goes to `detail` (the logs).
 */
export function classify(err: unknown): LlmError {
  if (err instanceof LlmError) return err
  const detail = err instanceof Error ? err.message : String(err)
  if (err instanceof OpenAI.APIConnectionTimeoutError) {
    return new LlmError('llm_timeout', 'the model did not answer in time', {
      retryable: true,
      cause: err,
      detail,
    })
  }
  // An answer with an HTTP status. (The SDK made status-less ones only inside its own stream,
  // which `readAnswer` replaced; any other falls to the connection failure below.)
  if (
    err instanceof OpenAI.APIError &&
    !(err instanceof OpenAI.APIConnectionError) &&
    err.status !== undefined
  ) {
    const opts = { cause: err, retryAfterMs: retryAfterMs(err.headers), detail: serverText(err) }
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
    detail,
  })
}

/** Whether the server refused the request (`400`) because of the body parameter `name`. */
export const refusesParam = (err: unknown, name: string): boolean =>
  err instanceof OpenAI.BadRequestError && serverText(err).includes(name)

/**
 * `fetch` for the SDK, reading error bodies that are not OpenAI's shape. The SDK takes a
 * refusal's text from the body's `error` field; a server that answers with the error at the
 * top level (older vLLM: `{"object":"error","message":"…","code":400}`) would leave it
 * without one ("400 status code (no body)"), and what the server refused would be lost.
 * Such a body is handed on wrapped as `{"error": …}`.
 */
export const fetchWithErrorBodies: typeof fetch = async (input, init) => {
  const response = await fetch(input, init)
  if (response.ok || !response.headers.get('content-type')?.includes('json')) return response
  const text = await response.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  const wrapped =
    typeof body === 'object' && body !== null && !('error' in body)
      ? JSON.stringify({ error: body })
      : text
  const headers = new Headers(response.headers)
  headers.delete('content-length')
  headers.delete('content-encoding')
  return new Response(wrapped, {
    status: response.status,
    statusText: response.statusText,
    headers,
  })
}
