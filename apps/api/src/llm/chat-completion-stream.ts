import { LlmError } from './llm-error.js'

/** The parts of a `chat.completion.chunk` inkflow reads. */
export interface ChatCompletionChunk {
  choices?: { delta?: { content?: string | null } | null }[]
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null
}

/**
 * Reads a streamed chat completion (Server-Sent Events, as OpenAI and compatible servers send
 * it) and hands each chunk to `onChunk`, in order, until the body ends.
 *
 * The SDK's own stream passes every message through four async generators, a line decoder
 * and a promise per step; with fifty answers arriving at once that was half of the model
 * thread's time per call. Here each body piece is split into lines in one pass. The SDK still
 * builds, sends and checks the request (status errors, timeouts, aborts).
 *
 * SSE as the spec has it: lines end in LF, CRLF or CR; `data:` lines join into one message at
 * a blank line; comments and other fields are ignored; an unfinished message at the end is
 * dropped. `[DONE]` ends the answer; the body is still read to its end so the connection can
 * carry the next call. An error message mid-answer (`event: error`, or a chunk with `error`)
 * fails the call, retryably, as the SDK's stream does.
 */
export async function readChatCompletionStream(
  body: AsyncIterable<Uint8Array>,
  onChunk: (chunk: ChatCompletionChunk) => void,
): Promise<void> {
  const decoder = new TextDecoder()
  let rest = '' // text after the last complete line
  let data: string[] = [] // the message's `data:` lines so far
  let event = ''
  let done = false
  // A CR that ended the previous piece: an LF that starts the next belongs to it.
  let skipLf = false

  const dispatch = () => {
    const text = data.join('\n')
    const type = event
    data = []
    event = ''
    if (done || text === '') return
    if (text.startsWith('[DONE]')) {
      done = true
      return
    }
    let parsed: ChatCompletionChunk & { error?: { message?: string } }
    try {
      parsed = JSON.parse(text)
    } catch (cause) {
      throw new LlmError('llm_unavailable', 'the model sent a chunk that is not JSON', {
        retryable: true,
        cause,
      })
    }
    if (type === 'error' || parsed?.error) {
      const message = parsed?.error?.message ?? 'unknown error'
      throw new LlmError('llm_unavailable', `the model failed mid-answer: ${message}`, {
        retryable: true,
      })
    }
    onChunk(parsed)
  }

  const line = (text: string) => {
    if (text === '') return dispatch()
    if (text.charCodeAt(0) === 58) return // ':' a comment
    const colon = text.indexOf(':')
    const field = colon < 0 ? text : text.slice(0, colon)
    let value = colon < 0 ? '' : text.slice(colon + 1)
    if (value.charCodeAt(0) === 32) value = value.slice(1)
    if (field === 'data') data.push(value)
    else if (field === 'event') event = value
  }

  const lines = (text: string) => {
    let start = 0
    if (skipLf && text.charCodeAt(0) === 10) start = 1
    skipLf = false
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c !== 10 && c !== 13) continue
      line(text.slice(start, i))
      if (c === 13) {
        if (i + 1 === text.length) skipLf = true
        else if (text.charCodeAt(i + 1) === 10) i++
      }
      start = i + 1
    }
    return text.slice(start)
  }

  for await (const piece of body) {
    rest = lines(rest + decoder.decode(piece, { stream: true }))
  }
  rest = lines(rest + decoder.decode())
}
