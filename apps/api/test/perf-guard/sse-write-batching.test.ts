import { afterAll, describe, expect, it } from 'vitest'
import { encodeSseFrame } from '../../src/http/sse/sse-connection.js'
import { closeSseServers, openSseConnection } from '../helpers/sse-connection-harness.js'

/**
 * Guards an optimisation (`fan-out` in BENCHMARKS.md): the frames one turn of the event loop
 * writes to a stream leave its socket together, in one system call, instead of one each.
 * Observed through Node's documented `writableCorked` / `writableLength`, on a real socket.
 */
describe('perf-guard: SSE writes of one turn are batched', () => {
  afterAll(closeSseServers)

  it('holds a turn’s frames in the corked socket, then sends them all, in order', async () => {
    const { connection, res, client, bytes } = await openSseConnection()
    const socket = res.socket
    if (!socket) throw new Error('the response has no socket')
    // Let the flushed head leave first.
    await new Promise((r) => setImmediate(r))

    // Not ASCII on purpose: the chunk's size line counts bytes, not characters.
    const frames = ['é', 'ü', '—'].map((s, i) => encodeSseFrame(`id: ${i}\ndata: ${s}\n\n`))
    for (const frame of frames) expect(connection.write(frame)).toBe(true)
    expect(socket.writableCorked).toBe(1)
    const length = frames.reduce((n, f) => n + f.chunk.length, 0)
    expect(socket.writableLength).toBe(length)

    await new Promise((r) => process.nextTick(r))
    expect(socket.writableCorked).toBe(0)
    const expected = Buffer.concat(frames.map((f) => f.chunk)).toString('utf8')
    for (let i = 0; i < 200 && !bytes().toString('utf8').endsWith(expected); i++) {
      await new Promise((r) => setTimeout(r, 10))
    }
    expect(bytes().toString('utf8').endsWith(expected)).toBe(true)
    // 17 bytes: "—" is three of them.
    expect(expected).toContain('11\r\nid: 2\ndata: —\n\n\r\n')
    client.destroy()
  })
})
