import { connect } from 'node:net'
import type { ProgressEvent } from '@inkflow/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readStream } from '../helpers/sse-reader.js'
import { createJob, startTestServer, type TestServer } from '../helpers/test-server.js'

/**
 * Sends raw request bytes and returns everything the server sends until it closes. Within 3 s:
 * well under the 5 s keep-alive timeout, so a server that ignored `Connection: close` fails.
 */
function rawExchange(port: number, request: string, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port })
    let received = ''
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no close within ${timeoutMs} ms; got:\n${received.slice(0, 500)}`))
    }, timeoutMs)
    socket.setEncoding('utf8')
    socket.on('connect', () => socket.write(request))
    socket.on('data', (text: string) => {
      received += text
    })
    socket.on('error', reject)
    socket.on('close', () => {
      clearTimeout(timer)
      resolve(received)
    })
  })
}

/** Decodes a chunked body, checking every size line against the bytes that follow it. */
function dechunk(body: string): { text: string; ended: boolean } {
  const bytes = Buffer.from(body, 'utf8')
  let text = ''
  let at = 0
  while (at < bytes.length) {
    const lineEnd = bytes.indexOf('\r\n', at)
    if (lineEnd < 0) break
    const size = Number.parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16)
    expect(Number.isNaN(size)).toBe(false)
    if (size === 0) return { text, ended: true }
    const start = lineEnd + 2
    text += bytes.subarray(start, start + size).toString('utf8')
    expect(bytes.subarray(start + size, start + size + 2).toString('latin1')).toBe('\r\n')
    at = start + size + 2
  }
  return { text, ended: false }
}

const seqsOf = (sse: string) => [...sse.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))

describe('the event stream on the wire', () => {
  let server: TestServer
  let port: number
  let jobId: string
  let expected: ProgressEvent[]
  beforeAll(async () => {
    server = await startTestServer({ env: { DEMO_TOKEN_DELAY_MS: '0' } })
    port = Number(new URL(server.baseUrl).port)
    jobId = await createJob(server.baseUrl, 'wire formats')
    expected = (await readStream(`${server.baseUrl}/api/jobs/${jobId}/events`)).events
  })
  afterAll(() => server.close())

  it('frames every event as one well-formed HTTP/1.1 chunk and ends the body properly', async () => {
    const raw = await rawExchange(
      port,
      `GET /api/jobs/${jobId}/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    )
    const [head, body = ''] = raw.split(/\r\n\r\n([\s\S]*)/)
    expect(head).toMatch(/^HTTP\/1\.1 200/)
    expect(head).toMatch(/\r\ntransfer-encoding: chunked/i)
    const { text, ended } = dechunk(body)
    expect(ended).toBe(true)
    expect(text.startsWith('retry: ')).toBe(true)
    expect(seqsOf(text)).toEqual(expected.map((e) => e.seq))
  })

  it('sends plain frames to an HTTP/1.0 client, which has no chunked encoding', async () => {
    const raw = await rawExchange(port, `GET /api/jobs/${jobId}/events HTTP/1.0\r\n\r\n`)
    const [head, body = ''] = raw.split(/\r\n\r\n([\s\S]*)/)
    expect(head).toMatch(/^HTTP\/1\.1 200/)
    expect(head).not.toMatch(/transfer-encoding/i)
    expect(body.startsWith('retry: ')).toBe(true)
    expect(seqsOf(body)).toEqual(expected.map((e) => e.seq))
  })

  it('answers HEAD with the stream headers and no body', async () => {
    const raw = await rawExchange(
      port,
      `HEAD /api/jobs/${jobId}/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    )
    const [head, body] = raw.split(/\r\n\r\n([\s\S]*)/)
    expect(head).toMatch(/^HTTP\/1\.1 200/)
    expect(head).toMatch(/\r\ncontent-type: text\/event-stream/i)
    expect(body).toBe('')
  })

  it('answers pipelined requests in order, each stream whole', async () => {
    const second = await createJob(server.baseUrl, 'pipelined')
    await readStream(`${server.baseUrl}/api/jobs/${second}/events`) // let it finish
    const request = (id: string, close = false) =>
      `GET /api/jobs/${id}/events HTTP/1.1\r\nHost: x\r\n${close ? 'Connection: close\r\n' : ''}\r\n`
    // Both requests in one packet: the second response waits for the first to end.
    const raw = await rawExchange(port, request(jobId) + request(second, true))
    const responses = raw.split(/(?=HTTP\/1\.1 200)/)
    expect(responses).toHaveLength(2)
    const bodies = responses.map((r) => dechunk(r.split(/\r\n\r\n([\s\S]*)/)[1] ?? ''))
    expect(bodies.every((b) => b.ended)).toBe(true)
    expect(seqsOf(bodies[0]!.text)).toEqual(expected.map((e) => e.seq))
    expect(bodies[1]!.text).toContain(`"jobId":"${second}"`)
    expect(bodies[1]!.text).not.toContain(`"jobId":"${jobId}"`)
    expect(seqsOf(bodies[1]!.text)[0]).toBe(1)
  })
})
