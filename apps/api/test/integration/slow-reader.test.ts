import { connect } from 'node:net'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { closeAfterEach } from '../helpers/close-after-each.js'
import { tokenEvent } from '../helpers/log-events.js'
import { readStream } from '../helpers/sse-reader.js'
import { startTestServer, waitUntil } from '../helpers/test-server.js'

const closing = closeAfterEach()

const EVENTS = 20_000
const TEXT = 'x'.repeat(1000)

describe('a reader that stops reading', () => {
  it('is dropped after SLOW_READER_TIMEOUT_MS without slowing a normal reader of the same job', async () => {
    // Long enough that the normal reader, in this same process, never stalls that long while
    // the server hogs the loop with its replay, even with other test files on the CPU.
    const server = closing(await startTestServer({ env: { SLOW_READER_TIMEOUT_MS: '2000' } }))
    // A 20 MB log: far more than the kernel buffers of a socket that is never read.
    const { jobs, events } = server.storage
    const { job } = await jobs.create({
      id: 'big-job',
      topic: 'big',
      createdAt: new Date().toISOString(),
    })
    for (let i = 0; i < EVENTS; i++) {
      await events.append(tokenEvent(job.id, TEXT))
    }
    await jobs.update(job.id, { status: 'cancelled' })
    await events.append({
      type: 'job.cancelled',
      jobId: job.id,
      ts: new Date().toISOString(),
      progress: 50,
    })

    const { port } = new URL(server.baseUrl)
    const stalled = connect(Number(port), '127.0.0.1')
    stalled.pause() // never read a byte after the request
    stalled.write(`GET /api/jobs/${job.id}/events HTTP/1.1\r\nHost: x\r\n\r\n`)

    const normal = await readStream(`${server.baseUrl}/api/jobs/${job.id}/events`, {
      timeoutMs: 60_000,
    })
    expect(normal.events).toHaveLength(EVENTS + 1)
    expect(normal.events.map((e) => e.seq)).toEqual(normal.events.map((_, i) => i + 1))

    const dropped = await waitUntil(async () => {
      const metrics = (await request(server.baseUrl).get('/metrics')).text
      return /^inkflow_dropped_slow_readers_total 1$/m.test(metrics) ? metrics : undefined
    })
    expect(dropped).toMatch(/^inkflow_open_streams 0$/m)
    // What the stalled client can still read ends early: it was cut off, not served in full.
    let received = 0
    stalled.on('data', (chunk: Buffer) => {
      received += chunk.length
    })
    stalled.resume()
    await new Promise((resolve) => stalled.on('close', resolve))
    expect(received).toBeLessThan(EVENTS * TEXT.length)
  }, 60_000)
})
