import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import { connect, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createHeartbeat } from '../../src/http/sse/heartbeat.js'
import { createSseConnection, type SseConnection } from '../../src/http/sse/sse-connection.js'

/**
 * A real server whose one response is driven by the test through an `SseConnection`, and a
 * raw client socket that records every byte it receives.
 */
async function open(
  options: { heartbeatMs?: number; onDrain?: () => void; paused?: boolean } = {},
) {
  let resolveConnection: (value: SseConnection) => void
  const ready = new Promise<SseConnection>((resolve) => {
    resolveConnection = resolve
  })
  const heartbeat = createHeartbeat(options.heartbeatMs ?? 60_000)
  const server: Server = createServer((req, res) => {
    resolveConnection(
      createSseConnection({
        req,
        res,
        heartbeat,
        onDrain: options.onDrain ?? (() => {}),
        onGone: () => {},
      }),
    )
  })
  servers.push(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  const client: Socket = connect(port, '127.0.0.1')
  if (options.paused) client.pause()
  client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
  let received = Buffer.alloc(0)
  client.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk])
  })
  const connection = await ready
  return { connection, client, received: () => received.toString('latin1') }
}

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    server.close()
  }
})

const frame = (n: number) => Buffer.from(`id: ${n}\ndata: ${'x'.repeat(n)}\n\n`)
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10))
  expect(check()).toBe(true)
}

describe('the SSE connection', () => {
  it('sends the stream head and each frame as a well-formed chunk, then ends the body', async () => {
    const { connection, received } = await open()
    for (const n of [1, 2, 3]) expect(connection.write(frame(n))).toBe(true)
    connection.end()
    await until(() => received().endsWith('0\r\n\r\n'))
    const head = received().slice(0, received().indexOf('\r\n\r\n'))
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(head).toMatch(/\r\ncontent-type: text\/event-stream; charset=utf-8\r\n/i)
    expect(head).toMatch(/\r\nx-accel-buffering: no\r\n/i)
    expect(head).toMatch(/\r\ncache-control: no-cache, no-transform\r\n/i)
    const chunks = [1, 2, 3].map((n) => {
      const text = frame(n).toString('latin1')
      return `${text.length.toString(16)}\r\n${text}\r\n`
    })
    expect(received().slice(head.length + 4)).toBe(`${chunks.join('')}0\r\n\r\n`)
  })

  it('says the socket is full when the client stops reading, and calls back once it reads again', async () => {
    let drains = 0
    const { connection, client, received } = await open({ paused: true, onDrain: () => drains++ })
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
    expect(received().length).toBeGreaterThan(written * 60_000)
  })

  it('pings a quiet stream with a comment line', async () => {
    const { received } = await open({ heartbeatMs: 40 })
    await until(() => received().includes(': ping\n\n'))
  })
})
