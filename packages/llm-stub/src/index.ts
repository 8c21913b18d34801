import { once } from 'node:events'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { answer } from './answer.js'
import { defaultReply } from './default-writer.js'
import type { ReplyScript, StubRequest } from './reply.js'

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

export interface LlmStubOptions {
  /** Decides each reply; default: 200 with `defaultReply`. */
  reply?: ReplyScript
  /** Pause between streamed tokens. Default 0. */
  tokenDelayMs?: number
  host?: string
  /** Default 0: any free port. */
  port?: number
}

export interface LlmStub {
  /** Base URL for the SDK (`…/v1`). */
  url: string
  requests: StubRequest[]
  setReply(reply: ReplyScript): void
  close(): Promise<void>
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
      await answer(req, res, request, await reply(request), options.tokenDelayMs ?? 0)
    } catch {
      res.destroy()
    }
  })
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1')
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

export {
  isOutline,
  isRevision,
  isSection,
  isStyle,
  prefillOf,
  promptOf,
  type RequestData,
  requestData,
  sectionNumber,
} from './inkflow-prompts.js'
export { extraForbiddenBody, type ReplyScript, type StubReply, type StubRequest } from './reply.js'
export { defaultReply }
