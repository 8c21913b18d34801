import { Worker } from 'node:worker_threads'
import type { LlmClient, LlmRequest, LlmResult } from './llm.js'
import { LlmError } from './llm-error.js'
import type { FromModelThread, ToModelThread } from './model-thread-protocol.js'
import type { OpenAiOptions } from './openai.js'

interface Call {
  request: LlmRequest
  resolve: (result: LlmResult) => void
  reject: (err: unknown) => void
}

/**
 * Starts the thread: the built `model-thread.js` next to this file or, run from source (dev,
 * tests), `model-thread-from-source.mjs`, which loads the `.ts` file through tsx.
 */
function startThread(workerData: OpenAiOptions): Worker {
  const fromSource = import.meta.url.endsWith('.ts')
  const entry = fromSource ? './model-thread-from-source.mjs' : './model-thread.js'
  return new Worker(new URL(entry, import.meta.url), { workerData })
}

/**
 * The `openai` provider, run on a thread of its own (`model-thread.ts`).
 *
 * Fifty jobs whose answers arrive together cost the event loop ~2 ms each per call on a
 * 2-core machine — building the request, the HTTP client, parsing a streamed chunk per
 * token — and the loop does them one after another, so the median job's next call left
 * ~50 ms late, every call (`first-words` in BENCHMARKS.md). On the thread that work runs
 * beside the loop, on the other core; the loop gets each call's text in a few pieces.
 *
 * A thread that dies fails its calls as `llm_unavailable` (retryable: the workflow tries
 * again) and is started anew by the next call.
 */
export function createThreadedLlm(options: OpenAiOptions): LlmClient {
  const calls = new Map<number, Call>()
  let nextId = 1
  let worker: Worker | undefined

  const settle = (id: number) => {
    const call = calls.get(id)
    calls.delete(id)
    return call
  }

  let markReady = () => {}
  const ready = new Promise<void>((resolve) => {
    markReady = resolve
  })

  const deliver = (message: FromModelThread) => {
    if (message.type === 'ready') {
      markReady()
      return
    }
    const call = message.type === 'tokens' ? calls.get(message.id) : settle(message.id)
    if (message.text !== '') call?.request.onToken?.(message.text)
    if (message.type === 'done') {
      call?.resolve(message.result)
    } else if (message.type === 'failed') {
      const { code, message: text, ...rest } = message.error
      call?.reject(new LlmError(code, text, rest))
    }
  }
  const onMessage = (message: FromModelThread | FromModelThread[]) => {
    if (Array.isArray(message)) for (const m of message) deliver(m)
    else deliver(message)
  }

  const start = (): Worker => {
    const thread = startThread(options)
    thread.unref() // calls in flight belong to jobs, which keep the process busy themselves
    thread.on('message', onMessage)
    const lost = (reason: string) => {
      markReady() // calls now fail fast (and are retried); nothing to wait for
      if (worker === thread) worker = undefined
      for (const id of [...calls.keys()]) {
        settle(id)?.reject(
          // The reason (a stack, a module path) is for the logs, not for readers.
          new LlmError('llm_unavailable', 'the model client stopped unexpectedly', {
            retryable: true,
            detail: `the model thread stopped: ${reason}`,
          }),
        )
      }
    }
    thread.on('error', (err) => lost(err.message))
    thread.on('exit', (code) => lost(`exit code ${code}`))
    return thread
  }
  // Started now, so the SDK is loaded before the first job's first call.
  worker = start()

  return {
    provider: 'openai',
    model: options.model,
    ready,
    complete(request) {
      const { signal } = request
      if (signal.aborted) return Promise.reject(signal.reason)
      return new Promise<LlmResult>((resolve, reject) => {
        const id = nextId++
        const thread = worker ?? start()
        worker = thread
        const onAbort = () => {
          if (!settle(id)) return
          thread.postMessage({ type: 'abort', id } satisfies ToModelThread)
          reject(signal.reason)
        }
        signal.addEventListener('abort', onAbort, { once: true })
        const done =
          <T>(settleWith: (value: T) => void) =>
          (value: T) => {
            signal.removeEventListener('abort', onAbort)
            settleWith(value)
          }
        calls.set(id, { request, resolve: done(resolve), reject: done(reject) })
        thread.postMessage({
          type: 'call',
          id,
          messages: request.messages,
          task: request.task,
        } satisfies ToModelThread)
      })
    },
  }
}
