import { once } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { setImmediate as turn } from 'node:timers/promises'
import { defaultReply } from './default-writer.js'
import { extraForbiddenBody, type StubReply, type StubRequest } from './reply.js'

/** Where an `endless` answer stops when nothing else stops it: a bound for a test gone wrong. */
const ENDLESS_TOKENS = 1_000_000

const tokenize = (text: string): string[] => text.match(/\s*\S+/g) ?? []
/** What `stampFirstToken` puts before the first token: sub-millisecond, on the epoch clock. */
const stamp = () => `# t=${(performance.timeOrigin + performance.now()).toFixed(3)}\n`
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function chunk(id: string, model: string, delta: object, finish: string | null): string {
  const body = {
    id,
    object: 'chat.completion.chunk',
    created: 0,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  }
  return `data: ${JSON.stringify(body)}\n\n`
}

/** Writes `frame`, waiting while the socket is full (an endless answer must not fill memory). */
async function write(res: ServerResponse, frame: string) {
  if (res.write(frame)) return
  await Promise.race([once(res, 'drain'), once(res, 'close')])
}

/** Answers one request as `reply` says: an error, a whole JSON answer, or a (mis)behaving stream. */
export async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  request: StubRequest,
  reply: StubReply,
  tokenDelayMs: number,
) {
  const { body } = request
  // The answer is built before the wait, so the wait is the model's whole time to its first
  // token: the stub's own work must not add to what the benchmarks time.
  const text = reply.text ?? defaultReply(body.messages)
  const words = tokenize(text)
  const cap = reply.ignoreCap ? undefined : (body.max_completion_tokens ?? body.max_tokens)
  const natural = reply.endless && words.length > 0 ? ENDLESS_TOKENS : words.length
  const count = Math.min(natural, cap ?? Infinity)
  const finish = count < natural ? 'length' : 'stop'
  const tokenAt = (i: number) => words[i % words.length]!
  const model = body.model ?? 'stub'
  const id = `chatcmpl-stub-${request.index}`
  const usage = {
    prompt_tokens: JSON.stringify(body.messages).length >> 2,
    completion_tokens: count,
    total_tokens: (JSON.stringify(body.messages).length >> 2) + count,
  }
  const pause = reply.tokenDelayMs ?? tokenDelayMs
  const doneFrames =
    chunk(id, model, {}, finish) +
    (reply.omitUsage
      ? ''
      : `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [], usage })}\n\n`) +
    'data: [DONE]\n\n'
  const unpaced =
    pause === 0 &&
    !reply.endless &&
    reply.hangAfterTokens === undefined &&
    reply.dropAfterTokens === undefined &&
    reply.errorAfterTokens === undefined &&
    !reply.stampFirstToken
  let whole: string | undefined
  if (body.stream && unpaced) {
    // Nothing to pace or cut: the whole stream in one write, as a fast server's would arrive.
    whole = chunk(id, model, { role: 'assistant', content: '' }, null)
    for (let i = 0; i < count; i++) whole += chunk(id, model, { content: tokenAt(i) }, null)
    whole += doneFrames
  }

  if (reply.delayMs) await sleep(reply.delayMs)
  const refused = reply.refuseParams?.find((param) => param in body)
  if (refused !== undefined) {
    res.writeHead(400, { 'content-type': 'application/json', ...reply.headers })
    res.end(extraForbiddenBody(refused))
    return
  }
  const status = reply.status ?? 200
  if (status !== 200) {
    res.writeHead(status, { 'content-type': 'application/json', ...reply.headers })
    const message = reply.errorMessage ?? `stub error ${status}`
    res.end(JSON.stringify({ error: { message, type: 'stub_error', code: null } }))
    return
  }
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json', ...reply.headers })
    const content = Array.from({ length: count }, (_, i) => tokenAt(i)).join('')
    res.end(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created: 0,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }],
        ...(reply.omitUsage ? {} : { usage }),
      }),
    )
    return
  }
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    ...reply.headers,
  })
  if (whole !== undefined) {
    res.end(whole)
    return
  }
  res.write(chunk(id, model, { role: 'assistant', content: '' }, null))
  for (let i = 0; i < count; i++) {
    if (request.aborted) return
    if (reply.hangAfterTokens !== undefined && i >= reply.hangAfterTokens) {
      // Keep it open: in silence, or with comment lines only.
      if (reply.keepAliveMs) {
        const timer = setInterval(() => res.write(': keep-alive\n\n'), reply.keepAliveMs)
        res.on('close', () => clearInterval(timer))
      }
      return
    }
    if (reply.dropAfterTokens !== undefined && i >= reply.dropAfterTokens) {
      req.socket.destroy()
      return
    }
    if (reply.errorAfterTokens !== undefined && i >= reply.errorAfterTokens) {
      // What OpenAI sends when a model fails after its answer has begun.
      const message = reply.errorMessage ?? 'stub overloaded'
      res.end(`data: ${JSON.stringify({ error: { message, type: 'server_error' } })}\n\n`)
      return
    }
    if (pause > 0) await sleep(pause)
    else if (i % 64 === 63) await turn() // an endless answer must not starve the stub's loop
    // Stamped after the pause, just before the write: the moment the model's first words leave.
    const content = i === 0 && reply.stampFirstToken ? stamp() + tokenAt(i) : tokenAt(i)
    await write(res, chunk(id, model, { content }, null))
  }
  if (!request.aborted) res.end(doneFrames)
}
