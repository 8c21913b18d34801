import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createHeartbeat } from '../../src/http/sse/heartbeat.js'
import {
  createSseConnection,
  encodeSseFrame,
  type SseConnection,
} from '../../src/http/sse/sse-connection.js'
import { waitUntil } from '../helpers/job-client.js'
import { closeSseServers, openSseConnection } from '../helpers/sse-connection-harness.js'

const servers: Server[] = []
afterEach(async () => {
  closeSseServers()
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    server.close()
  }
})

const text = (n: number) => `id: ${n}\ndata: ${'x'.repeat(n)}\n\n`
const frame = (n: number) => encodeSseFrame(text(n))
const asChunk = (body: string) => `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n`
const until = (check: () => boolean) => waitUntil(check, 2000)

describe('the SSE connection', () => {
  it('sends the stream head and each frame as a well-formed chunk, then ends the body', async () => {
    const { connection, received } = await openSseConnection()
    for (const n of [1, 2, 3]) expect(connection.write(frame(n))).toBe(true)
    connection.end()
    await until(() => received().endsWith('0\r\n\r\n'))
    const head = received().slice(0, received().indexOf('\r\n\r\n'))
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(head).toMatch(/\r\ncontent-type: text\/event-stream; charset=utf-8\r\n/i)
    expect(head).toMatch(/\r\nx-accel-buffering: no\r\n/i)
    expect(head).toMatch(/\r\ncache-control: no-cache, no-transform\r\n/i)
    expect(head).toMatch(/\r\ntransfer-encoding: chunked\r\n/i)
    const chunks = [1, 2, 3].map((n) => asChunk(text(n)))
    expect(received().slice(head.length + 4)).toBe(`${chunks.join('')}0\r\n\r\n`)
  })

  it('ends with its final frame as the last chunk', async () => {
    const { connection, received } = await openSseConnection()
    connection.write(frame(1))
    connection.end(frame(2))
    await until(() => received().endsWith('0\r\n\r\n'))
    const body = received().slice(received().indexOf('\r\n\r\n') + 4)
    expect(body).toBe(`${asChunk(text(1))}${asChunk(text(2))}0\r\n\r\n`)
  })

  it('sends an HTTP/1.0 client the bare frames, ended by closing the connection', async () => {
    const { connection, received, client } = await openSseConnection({
      request: 'GET / HTTP/1.0\r\nHost: x\r\n\r\n',
    })
    const closed = once(client, 'close')
    connection.write(frame(1))
    connection.write(frame(2))
    connection.end()
    await closed
    const [head, body] = received().split('\r\n\r\n', 2) as [string, string]
    expect(head).not.toMatch(/transfer-encoding/i)
    expect(received().slice(head.length + 4)).toBe(`${text(1)}${text(2)}`)
    expect(body.startsWith('id: 1')).toBe(true)
  })

  it('answers HEAD with the head alone', async () => {
    const { connection, received } = await openSseConnection({
      request: 'HEAD / HTTP/1.1\r\nHost: x\r\n\r\n',
    })
    connection.write(frame(1))
    connection.end()
    await until(() => received().includes('\r\n\r\n'))
    await new Promise((r) => setTimeout(r, 50))
    expect(received()).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(received().slice(received().indexOf('\r\n\r\n') + 4)).toBe('')
  })

  it('says the socket is full when the client stops reading, and calls back once it reads again', async () => {
    let drains = 0
    const { connection, client, received } = await openSseConnection({
      paused: true,
      onDrain: () => drains++,
    })
    const big = frame(60_000)
    let written = 0
    // Bounded: the socket and the client's receive buffer fill within a few megabytes.
    while (written < 2000 && connection.write(big)) written++
    expect(connection.blocked).toBe(true)
    expect(written).toBeLessThan(2000)
    expect(drains).toBe(0)
    client.resume()
    await until(() => drains === 1)
    expect(connection.blocked).toBe(false)
    // 'drain' means the kernel took the bytes; the client may still be reading them.
    await until(() => received().length > written * 60_000)
  })

  it('keeps the order of a stream answered behind a slower response on the same connection', async () => {
    // Two pipelined requests: the stream's response has no socket until the first one ends,
    // so its first frame waits in Node's buffer and its second goes straight to the socket.
    let resolveConnection: (value: SseConnection) => void
    const ready = new Promise<SseConnection>((resolve) => {
      resolveConnection = resolve
    })
    const server: Server = createServer((req, res) => {
      if (req.url === '/slow') {
        setTimeout(() => res.end('slow'), 100)
        return
      }
      const heartbeat = createHeartbeat(60_000)
      resolveConnection(
        createSseConnection({ req, res, heartbeat, onDrain: () => {}, onGone: () => {} }),
      )
    })
    servers.push(server)
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const { port } = server.address() as { port: number }
    const client = connect(port, '127.0.0.1')
    let received = ''
    client.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1')
    })
    client.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n')
    const connection = await ready
    expect(connection.write(frame(1))).toBe(true)
    await until(() => received.includes('slow'))
    await new Promise((r) => setTimeout(r, 20))
    connection.write(frame(2))
    connection.end()
    await until(() => received.endsWith('0\r\n\r\n'))
    const second = received.slice(received.indexOf('slow') + 4)
    expect(second).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    const body = second.slice(second.indexOf('\r\n\r\n') + 4)
    expect(body).toBe(`${asChunk(text(1))}${asChunk(text(2))}0\r\n\r\n`)
  })

  it('pings a quiet stream with a comment line', async () => {
    const { received } = await openSseConnection({ heartbeatMs: 40 })
    await until(() => received().includes(': ping\n\n'))
  })
})
