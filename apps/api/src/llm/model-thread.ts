/**
 * The model thread: runs the `openai` provider (the SDK, its HTTP client and its stream
 * parsing) off the event loop that serves the API, and sends each call's text back in
 * pieces: one message per turn of its own loop for all calls. Started by `threaded-llm.ts`.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { LlmError } from './llm-error.js'
import type { FromModelThread, ToModelThread } from './model-thread-protocol.js'
import { createOpenAiClient, type OpenAiOptions } from './openai.js'

const port = parentPort
if (!port) throw new Error('model-thread.ts runs as a worker thread')
const client = createOpenAiClient(workerData as OpenAiOptions)
const calls = new Map<number, AbortController>()

// Everything for the loop gathered during one turn of this thread goes in one message: a
// round of fifty answers is one or a few messages, not a hundred (each costs both threads).
const unsent = new Map<number, string>() // call id → text streamed since the last message
let ends: FromModelThread[] = []
let scheduled = false
const send = () => {
  scheduled = false
  const batch: FromModelThread[] = []
  for (const [id, text] of unsent) batch.push({ type: 'tokens', id, text })
  unsent.clear()
  batch.push(...ends)
  ends = []
  if (batch.length > 0) port.postMessage(batch)
}
const schedule = () => {
  if (scheduled) return
  scheduled = true
  setImmediate(send)
}
/** The call's text not yet sent, taken out so that it travels with the call's end. */
const rest = (id: number) => {
  const text = unsent.get(id) ?? ''
  unsent.delete(id)
  return text
}

async function run(id: number, call: Extract<ToModelThread, { type: 'call' }>) {
  const controller = new AbortController()
  calls.set(id, controller)
  try {
    const result = await client.complete({
      messages: call.messages,
      task: call.task,
      signal: controller.signal,
      onToken: (delta) => {
        unsent.set(id, (unsent.get(id) ?? '') + delta)
        schedule()
      },
    })
    ends.push({ type: 'done', id, text: rest(id), result })
  } catch (err) {
    if (controller.signal.aborted) {
      unsent.delete(id) // the caller has moved on
      return
    }
    const error =
      err instanceof LlmError
        ? err
        : new LlmError('llm_unavailable', 'the model call failed', {
            retryable: true,
            detail: err instanceof Error ? err.message : String(err),
          })
    ends.push({
      type: 'failed',
      id,
      text: rest(id),
      error: {
        code: error.code,
        message: error.message,
        retryable: error.retryable,
        retryAfterMs: error.retryAfterMs,
        detail: error.detail,
        usage: error.usage,
      },
    })
  } finally {
    calls.delete(id)
    schedule()
  }
}

port.on('message', (message: ToModelThread) => {
  if (message.type === 'abort') calls.get(message.id)?.abort()
  else void run(message.id, message)
})

// Ready once the SDK and Node's fetch are loaded, so the first calls do not pay for it.
void fetch('data:,')
  .catch(() => {})
  .then(() => port.postMessage({ type: 'ready' } satisfies FromModelThread))
