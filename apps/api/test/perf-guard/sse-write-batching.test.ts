import { once } from 'node:events'
import { createServer, type ServerResponse } from 'node:http'
import { connect } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { createHeartbeat } from '../../src/http/sse/heartbeat.js'
import { createSseConnection, type SseConnection } from '../../src/http/sse/sse-connection.js'
import { encodeFrameBytes } from '../../src/http/sse/sse-frames.js'

/**
 * Guards an optimisation (BENCHMARKS.md, session 10): the frames one turn of the event loop
 * writes to a stream leave its socket together, in one system call, instead of one each.
 * Observed through Node's documented `writableCorked` / `writableLength`, on a real socket.
 */
describe('perf-guard: SSE writes of one turn are batched', () => {
  const server = createServer()
  afterAll(() => {
    server.closeAllConnections()
    server.close()
  })

  it('holds a turn’s frames in the corked socket, then sends them all, in order', async () => {
    const opened = new Promise<{ connection: SseConnection; res: ServerResponse }>((resolve) => {
      server.once('request', (req, res) => {
        const heartbeat = createHeartbeat(60_000)
        const connection = createSseConnection({
          req,
          res,
          heartbeat,
          onDrain: () => {},
          onGone: () => {},
        })
        resolve({ connection, res })
      })
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const { port } = server.address() as { port: number }
    const client = connect(port, '127.0.0.1')
    let received = Buffer.alloc(0)
    client.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
    })
    client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    const { connection, res } = await opened
    const socket = res.socket
    if (!socket) throw new Error('the response has no socket')
    // Let the flushed head leave first.
    await new Promise((r) => setImmediate(r))

    // Not ASCII on purpose: the chunk's size line counts bytes, not characters.
    const frames = ['é', 'ü', '—'].map((s, i) => encodeFrameBytes(`id: ${i}\ndata: ${s}\n\n`))
    for (const frame of frames) expect(connection.write(frame)).toBe(true)
    expect(socket.writableCorked).toBe(1)
    const bytes = frames.reduce((n, f) => n + f.chunk.length, 0)
    expect(socket.writableLength).toBe(bytes)

    await new Promise((r) => process.nextTick(r))
    expect(socket.writableCorked).toBe(0)
    const expected = Buffer.concat(frames.map((f) => f.chunk)).toString('utf8')
    for (let i = 0; i < 200 && !received.toString('utf8').endsWith(expected); i++) {
      await new Promise((r) => setTimeout(r, 10))
    }
    expect(received.toString('utf8').endsWith(expected)).toBe(true)
    // 17 bytes: "—" is three of them.
    expect(expected).toContain('11\r\nid: 2\ndata: —\n\n\r\n')
    client.destroy()
  })
})
