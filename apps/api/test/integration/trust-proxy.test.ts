import { describe, expect, it } from 'vitest'
import { closeAfterEach } from '../helpers/close-after-each.js'
import { postJobFrom } from '../helpers/http-from.js'
import { openStream } from '../helpers/sse-reader.js'
import { capturingLogger, createJob, startTestServer } from '../helpers/test-server.js'

// Loopback source addresses play the parts: 127.0.0.1 is the proxy, others are clients
// reaching the API directly.
const PROXY = '127.0.0.1'
const DIRECT = '127.0.0.7'

const closing = closeAfterEach()

describe('behind a trusted proxy (TRUST_PROXY)', () => {
  it('rate-limits each forwarded client on its own, and a spoofing peer as itself', async () => {
    const server = closing(
      await startTestServer({
        env: { TRUST_PROXY: PROXY, RATE_LIMIT_PER_MINUTE: '2' },
      }),
    )
    const url = server.baseUrl
    const asA = { 'x-forwarded-for': '203.0.113.1' }
    const asB = { 'x-forwarded-for': '203.0.113.2' }
    const statuses = async (from: string, headers: (i: number) => Record<string, string>) => {
      const out: number[] = []
      for (let i = 0; i < 3; i++) out.push((await postJobFrom(from, url, headers(i))).status)
      return out
    }
    expect(await statuses(PROXY, () => asA)).toEqual([202, 202, 429])
    expect(await statuses(PROXY, () => asB)).toEqual([202, 202, 429])
    // Not the proxy: its header is ignored, so a fresh address per request buys nothing.
    expect(await statuses(DIRECT, (i) => ({ 'x-forwarded-for': `198.51.100.${i}` }))).toEqual([
      202, 202, 429,
    ])
    // A client that forges the header through the proxy is still the address the proxy saw.
    const forged = { 'x-forwarded-for': '198.51.100.99, 203.0.113.1' }
    expect((await postJobFrom(PROXY, url, forged)).status).toBe(429)
  })

  it('keeps a stream quota per forwarded client', async () => {
    const server = closing(
      await startTestServer({
        env: { TRUST_PROXY: 'loopback', MAX_STREAMS_PER_CLIENT: '1', DEMO_TOKEN_DELAY_MS: '200' },
      }),
    )
    const events = `${server.baseUrl}/api/jobs/${await createJob(server.baseUrl)}/events`
    const a1 = await openStream(events, {
      from: PROXY,
      headers: { 'x-forwarded-for': '203.0.113.1' },
    })
    const a2 = await openStream(events, {
      from: PROXY,
      headers: { 'x-forwarded-for': '203.0.113.1' },
    })
    const b1 = await openStream(events, {
      from: PROXY,
      headers: { 'x-forwarded-for': '203.0.113.2' },
    })
    try {
      expect([a1.status, a2.status, b1.status]).toEqual([200, 429, 200])
    } finally {
      for (const s of [a1, a2, b1]) s.close()
    }
  })

  it('counts hops from the socket: with 1, the address the last proxy appended', async () => {
    const server = closing(
      await startTestServer({ env: { TRUST_PROXY: '1', RATE_LIMIT_PER_MINUTE: '1' } }),
    )
    const via = (client: string) => ({ 'x-forwarded-for': `10.9.9.9, ${client}` })
    expect((await postJobFrom(DIRECT, server.baseUrl, via('203.0.113.5'))).status).toBe(202)
    expect((await postJobFrom(DIRECT, server.baseUrl, via('203.0.113.5'))).status).toBe(429)
    expect((await postJobFrom(DIRECT, server.baseUrl, via('203.0.113.6'))).status).toBe(202)
  })

  it('logs the forwarded client address', async () => {
    const { logger, records } = capturingLogger()
    const server = closing(await startTestServer({ env: { TRUST_PROXY: PROXY }, logger }))
    await postJobFrom(PROXY, server.baseUrl, { 'x-forwarded-for': '203.0.113.77' })
    await postJobFrom(DIRECT, server.baseUrl, { 'x-forwarded-for': '203.0.113.78' })
    const clients = records()
      .filter((l) => l.msg === 'request completed')
      .map((l) => l.client)
    expect(clients).toEqual(['203.0.113.77', DIRECT])
  })
})

describe('with no proxy trusted (the default)', () => {
  it('ignores X-Forwarded-For: every request counts against the socket peer', async () => {
    const server = closing(await startTestServer({ env: { RATE_LIMIT_PER_MINUTE: '1' } }))
    const first = await postJobFrom(DIRECT, server.baseUrl, { 'x-forwarded-for': '203.0.113.1' })
    const second = await postJobFrom(DIRECT, server.baseUrl, { 'x-forwarded-for': '203.0.113.2' })
    expect([first.status, second.status]).toEqual([202, 429])
    expect((await postJobFrom('127.0.0.8', server.baseUrl)).status).toBe(202)
  })
})

describe('a forwarded header while no proxy is trusted', () => {
  it('is logged once, as a hint to set TRUST_PROXY', async () => {
    const { logger, records } = capturingLogger()
    const server = closing(await startTestServer({ logger }))
    for (let i = 0; i < 3; i++) {
      await postJobFrom(DIRECT, server.baseUrl, { 'x-forwarded-for': `203.0.113.${i}` })
    }
    const hints = records().filter((l) => /TRUST_PROXY is off/.test(String(l.msg)))
    expect(hints.length).toBe(1)
  })
})
