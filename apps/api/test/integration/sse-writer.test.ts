import { once } from 'node:events'
import { createServer, type Server, type ServerResponse } from 'node:http'
import { connect, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type EncodedFrame,
  encodeFrame,
  type SseWriter,
  sseWriter,
} from '../../src/http/sse-writer.js'

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

/**
 * A real server whose one response is driven by the test through `sseWriter`, and a raw
 * client socket; `writes` counts the system-call-level writes to the server's socket.
 */
async function open(onDrain: () => void = () => {}) {
  let resolveWriter: (value: { writer: SseWriter; res: ServerResponse }) => void
  const ready = new Promise<{ writer: SseWriter; res: ServerResponse }>((resolve) => {
    resolveWriter = resolve
  })
  const server: Server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream' })
    resolveWriter({ writer: sseWriter(req, res, onDrain), res })
  })
  servers.push(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  const client: Socket = connect(port, '127.0.0.1')
  client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
  let received = Buffer.alloc(0)
  client.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk])
  })
  const { writer, res } = await ready
  const socket = res.socket!
  const write = socket.write.bind(socket)
  const writes = { count: 0 }
  socket.write = ((...args: Parameters<Socket['write']>) => {
    writes.count++
    return write(...args)
  }) as Socket['write']
  return { writer, res, client, writes, received: () => received.toString('latin1') }
}

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    server.close()
  }
})

const frame = (n: number): EncodedFrame => encodeFrame(`id: ${n}\ndata: ${'x'.repeat(n)}\n\n`)

describe('the SSE writer', () => {
  it('sends the frames a stream gets in one task in one write, as well-formed chunks', async () => {
    const { writer, writes, received } = await open()
    writer.write(frame(1)) // the first write goes through Node, with the head
    await nextTurn()
    writes.count = 0
    for (const n of [2, 3, 4]) expect(writer.write(frame(n))).toBe(true)
    expect(writes.count).toBe(0) // queued until the task is over
    await nextTurn()
    expect(writes.count).toBe(1)
    writer.end()
    await new Promise((resolve) => setTimeout(resolve, 50))
    const body = received().slice(received().indexOf('\r\n\r\n') + 4)
    const expected = [1, 2, 3, 4].map((n) => {
      const text = `id: ${n}\ndata: ${'x'.repeat(n)}\n\n`
      return `${text.length.toString(16)}\r\n${text}\r\n`
    })
    expect(body).toBe(`${expected.join('')}0\r\n\r\n`)
  })

  it('says the socket is full once the frames queued in a task reach its high-water mark, and calls back when they are out', async () => {
    let drains = 0
    const { writer, res, client, received } = await open(() => drains++)
    writer.write(frame(1))
    await nextTurn()
    const big = frame(4000)
    const fit = Math.floor(res.socket!.writableHighWaterMark / big.chunk.length)
    for (let i = 0; i < fit; i++) expect(writer.write(big)).toBe(true)
    expect(writer.write(big)).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(drains).toBe(1)
    client.end()
    expect(received().length).toBeGreaterThan((fit + 1) * 4000)
  })
})
