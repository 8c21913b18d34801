import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { defaultReply } from './default-writer.js'

/** How the stub answers one chat-completions request. */
export interface StubReply {
  /** HTTP status; anything but 200 answers with an OpenAI-style error body. Default 200. */
  status?: number
  headers?: Record<string, string>
  /** The assistant's text; default: `defaultReply` of the request's messages. */
  text?: string
  /** Wait before answering, like a model's time to first token. Default 0. */
  delayMs?: number
  /** Pause between streamed tokens. Default: the stub's `tokenDelayMs`. */
  tokenDelayMs?: number
  /** Stop sending after this many tokens and keep the connection open. */
  hangAfterTokens?: number
  /** Destroy the socket after this many tokens, like a dropped connection. */
  dropAfterTokens?: number
  /** After this many tokens, send an error message in the stream and end it (a 200 that fails). */
  errorAfterTokens?: number
  /**
   * Prefix a streamed answer's first token with the moment it is sent, `# t=<ms since epoch>\n`
   * (`performance.timeOrigin + performance.now()`, three decimals), so a reader on the same
   * machine can tell how long that text took to reach it. A YAML comment line: the outline
   * still parses; a section or style answer just carries one odd line. Default false.
   */
  stampFirstToken?: boolean
}

export interface StubRequest {
  index: number
  body: { model?: string; stream?: boolean; messages: { role: string; content: string }[] }
  /** True once the client closed the request before the stub finished answering. */
  aborted: boolean
}

export type ReplyScript = (request: StubRequest) => StubReply

export interface LlmStubOptions {
  /** Decides each reply; default: 200 with `defaultReply`. */
  reply?: ReplyScript
  /** Pause between streamed tokens. Default 0. */
  tokenDelayMs?: number
  host?: string
}

export interface LlmStub {
  /** Base URL for the SDK (`…/v1`). */
  url: string
  requests: StubRequest[]
  setReply(reply: ReplyScript): void
  close(): Promise<void>
}

const tokenize = (text: string): string[] => text.match(/\s*\S+/g) ?? []
/** What `stampFirstToken` puts before the first token: sub-millisecond, on the epoch clock. */
const stamp = () => `# t=${(performance.timeOrigin + performance.now()).toFixed(3)}\n`
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = ''
    req.setEncoding('utf8')
    req.on('data', (chunk) => {
      data += chunk
    })
    req.on('end', () => resolve(data))
    req.on('error', reject)
  })
}

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

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  request: StubRequest,
  reply: StubReply,
  tokenDelayMs: number,
) {
  // The answer is built before the wait, so the wait is the model's whole time to its first
  // token: the stub's own work must not add to what the benchmarks time.
  const text = reply.text ?? defaultReply(request.body.messages)
  const tokens = tokenize(text)
  const model = request.body.model ?? 'stub'
  const id = `chatcmpl-stub-${request.index}`
  const usage = {
    prompt_tokens: JSON.stringify(request.body.messages).length >> 2,
    completion_tokens: tokens.length,
  }
  const fullUsage = { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens }
  const pause = reply.tokenDelayMs ?? tokenDelayMs
  const doneFrames =
    chunk(id, model, {}, 'stop') +
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [], usage: fullUsage })}\n\n` +
    'data: [DONE]\n\n'
  const unpaced =
    pause === 0 &&
    reply.hangAfterTokens === undefined &&
    reply.dropAfterTokens === undefined &&
    reply.errorAfterTokens === undefined &&
    !reply.stampFirstToken
  let whole: string | undefined
  if (request.body.stream && unpaced) {
    // Nothing to pace or cut: the whole stream in one write, as a fast server's would arrive.
    whole = chunk(id, model, { role: 'assistant', content: '' }, null)
    for (const token of tokens) whole += chunk(id, model, { content: token }, null)
    whole += doneFrames
  }

  if (reply.delayMs) await sleep(reply.delayMs)
  const status = reply.status ?? 200
  if (status !== 200) {
    res.writeHead(status, { 'content-type': 'application/json', ...reply.headers })
    res.end(
      JSON.stringify({
        error: { message: `stub error ${status}`, type: 'stub_error', code: null },
      }),
    )
    return
  }
  if (!request.body.stream) {
    res.writeHead(200, { 'content-type': 'application/json', ...reply.headers })
    res.end(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created: 0,
        model,
        choices: [
          { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' },
        ],
        usage: fullUsage,
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
  for (const [i, token] of tokens.entries()) {
    if (request.aborted) return
    if (reply.hangAfterTokens !== undefined && i >= reply.hangAfterTokens) return // keep it open
    if (reply.dropAfterTokens !== undefined && i >= reply.dropAfterTokens) {
      req.socket.destroy()
      return
    }
    if (reply.errorAfterTokens !== undefined && i >= reply.errorAfterTokens) {
      // What OpenAI sends when a model fails after its answer has begun.
      res.end(
        `data: ${JSON.stringify({ error: { message: 'stub overloaded', type: 'server_error' } })}\n\n`,
      )
      return
    }
    if (pause > 0) await sleep(pause)
    // Stamped after the pause, just before the write: the moment the model's first words leave.
    const content = i === 0 && reply.stampFirstToken ? stamp() + token : token
    res.write(chunk(id, model, { content }, null))
  }
  res.end(doneFrames)
}

/** Starts a chat-completions server on a free loopback port. */
export async function startLlmStub(options: LlmStubOptions = {}): Promise<LlmStub> {
  let reply: ReplyScript = options.reply ?? (() => ({}))
  const requests: StubRequest[] = []
  const server = createServer(async (req, res) => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: { message: 'not found' } }))
      return
    }
    const request: StubRequest = {
      index: requests.length,
      body: JSON.parse(await readBody(req)),
      aborted: false,
    }
    requests.push(request)
    res.on('close', () => {
      if (!res.writableFinished) request.aborted = true
    })
    try {
      await answer(req, res, request, reply(request), options.tokenDelayMs ?? 0)
    } catch {
      res.destroy()
    }
  })
  server.listen(0, options.host ?? '127.0.0.1')
  await once(server, 'listening')
  const { port, address } = server.address() as AddressInfo
  return {
    url: `http://${address}:${port}/v1`,
    requests,
    setReply(next) {
      reply = next
    },
    async close() {
      server.closeAllConnections()
      server.close()
      await once(server, 'close').catch(() => {})
    },
  }
}

export { defaultReply }
