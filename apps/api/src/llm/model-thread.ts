/**
 * The model thread: runs the `openai` provider (the SDK, its HTTP client and its stream
 * parsing) off the event loop that serves the API, and sends each call's text back in
 * pieces, at most one message per turn of its own loop. Started by `threaded-llm.ts`.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { LlmError } from './llm-error.js'
import type { FromModelThread, ToModelThread } from './model-thread-protocol.js'
import { createOpenAiClient, type OpenAiOptions } from './openai.js'

const port = parentPort
if (!port) throw new Error('model-thread.ts runs as a worker thread')
const client = createOpenAiClient(workerData as OpenAiOptions)
const calls = new Map<number, AbortController>()
const post = (message: FromModelThread) => port.postMessage(message)

async function run(id: number, call: Extract<ToModelThread, { type: 'call' }>) {
  const controller = new AbortController()
  calls.set(id, controller)
  let text = ''
  let flushing = false
  const flush = () => {
    flushing = false
    if (text === '') return
    post({ type: 'tokens', id, text })
    text = ''
  }
  try {
    const result = await client.complete({
      messages: call.messages,
      hint: call.hint,
      signal: controller.signal,
      onToken: (delta) => {
        text += delta
        if (!flushing) {
          flushing = true
          setImmediate(flush)
        }
      },
    })
    flush()
    post({ type: 'done', id, result })
  } catch (err) {
    if (controller.signal.aborted) return // the caller has moved on
    flush()
    const error =
      err instanceof LlmError
        ? err
        : new LlmError('llm_unavailable', 'the model call failed', { retryable: true })
    post({
      type: 'failed',
      id,
      error: {
        code: error.code,
        message: error.message,
        retryable: error.retryable,
        retryAfterMs: error.retryAfterMs,
      },
    })
  } finally {
    calls.delete(id)
  }
}

port.on('message', (message: ToModelThread) => {
  if (message.type === 'abort') calls.get(message.id)?.abort()
  else void run(message.id, message)
})

// Ready once the SDK and Node's fetch are loaded, so the first calls do not pay for it.
void fetch('data:,')
  .catch(() => {})
  .then(() => post({ type: 'ready' }))
