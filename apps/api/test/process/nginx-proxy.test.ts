import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { httpFrom, postJobFrom } from '../helpers/http-from.js'
import { type EventStream, openStream, seqsOf } from '../helpers/sse-reader.js'
import { deleteKeys, redisForTests, TEST_REDIS_URL } from '../store/redis-test-support.js'
import { type Nginx, nginxForTests, startNginx } from './nginx.js'
import { type ApiProcess, spawnApi, stopApi } from './spawn-api.js'

// The API trusts nginx's address (127.0.0.1); the tests' clients connect from other loopback
// addresses, each its own client.
const SETTINGS = {
  HOST: '127.0.0.1',
  PORT: '0',
  TRUST_PROXY: '127.0.0.1',
  RATE_LIMIT_PER_MINUTE: '3',
  MAX_STREAMS_PER_CLIENT: '2',
  DEMO_TOKEN_DELAY_MS: '4',
  LOG_LEVEL: 'info',
}

const runNginx = nginxForTests('nginx in front of the API')
const runRedis = runNginx && (await redisForTests('nginx in front of two API instances on Redis'))

type Mode = { name: string; instances: number; env: () => Record<string, string> }
const MODES: Mode[] = [
  { name: 'one instance (memory store)', instances: 1, env: () => ({ STORE_URL: 'memory' }) },
  {
    name: 'two instances on Redis, load-balanced',
    instances: 2,
    env: () => ({ STORE_URL: TEST_REDIS_URL, STALL_INTERVAL_MS: '1000' }),
  },
]

/** Each event with the time it arrived (`Date.now()`, comparable with its `ts`). */
const timed = (stream: EventStream) =>
  stream.events.map((event, i) => ({ event, at: stream.arrivedAt[i]! }))
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i)

async function post(from: string, url: string, headers: Record<string, string> = {}) {
  const res = await postJobFrom(from, url, headers)
  if (res.status !== 202) throw new Error(`POST answered ${res.status}: ${res.body}`)
  return (JSON.parse(res.body) as { id: string }).id
}

describe.each(MODES)('behind nginx: $name', (mode) => {
  const enabled = mode.instances === 1 ? runNginx : runRedis
  let apis: ApiProcess[] = []
  let nginx: Nginx | undefined
  const prefix = `inkflow-test-nginx-${randomBytes(4).toString('hex')}`

  beforeAll(async () => {
    if (!enabled) return
    const env = { ...SETTINGS, ...mode.env(), REDIS_KEY_PREFIX: prefix }
    apis = await Promise.all(Array.from({ length: mode.instances }, () => spawnApi(env)))
    nginx = await startNginx(apis.map((a) => a.baseUrl))
  })
  afterAll(async () => {
    await nginx?.stop()
    await Promise.all(apis.map((a) => stopApi(a)))
    if (mode.instances > 1 && enabled) await deleteKeys(TEST_REDIS_URL, [prefix])
  })

  it.runIf(enabled)('streams events unbuffered: each arrives as it is written', async () => {
    const url = nginx!.url
    const id = await post('127.0.0.2', url)
    const stream = await openStream(`${url}/api/jobs/${id}/events`, {
      from: '127.0.0.2',
      headers: { 'accept-encoding': 'gzip' },
    })
    await stream.ended
    expect(stream.status).toBe(200)
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(stream.headers.get('content-encoding')).toBeNull()
    const received = timed(stream)
    const tokens = received.filter((e) => e.event.type === 'token')
    const last = received.at(-1)
    expect(last?.event.type).toBe('job.completed')
    expect(tokens.length).toBeGreaterThan(20)
    const firstToken = tokens[0]!
    // The job runs for seconds; its first words reach the client at once, not at its end.
    const jobMs = Date.parse(last!.event.ts) - Date.parse(firstToken.event.ts)
    expect(jobMs).toBeGreaterThan(1500)
    expect(firstToken.at - Date.parse(firstToken.event.ts)).toBeLessThan(1000)
    expect(last!.at - firstToken.at).toBeGreaterThan(1500)
    // Every event of the live part arrives within a moment of being written (loose enough for
    // a loaded 2-core machine; a stream held back until the end lags by seconds).
    const lags = received
      .filter((e) => e.at - Date.parse(e.event.ts) >= 0 && e.event.seq > 3)
      .map((e) => e.at - Date.parse(e.event.ts))
      .sort((a, b) => a - b)
    expect(lags.length).toBeGreaterThan(20)
    expect(lags[Math.floor(lags.length * 0.95)]).toBeLessThan(750)
  })

  it.runIf(enabled)('resumes after Last-Event-ID with every later event, once', async () => {
    const url = nginx!.url
    const id = await post('127.0.0.3', url)
    const events = `${url}/api/jobs/${id}/events`
    const first = await openStream(events, { from: '127.0.0.3' })
    await first.waitForCount(12)
    first.close()
    const seen = seqsOf(first.events)
    const lastSeen = seen.at(-1)!
    const second = await openStream(events, { from: '127.0.0.3', lastEventId: lastSeen })
    await second.ended
    expect(second.events.at(-1)?.type).toBe('job.completed')
    const all = [...seen, ...seqsOf(second.events)]
    expect(all.length).toBe(second.events.at(-1)!.seq)
    expect(all).toEqual(range(1, all.length))
  })

  it.runIf(enabled)('gives each forwarded client its own rate-limit bucket', async () => {
    const url = nginx!.url
    const statuses = async (
      from: string,
      n: number,
      headers?: (i: number) => Record<string, string>,
    ) => {
      const out: number[] = []
      for (let i = 0; i < n; i++) out.push((await postJobFrom(from, url, headers?.(i))).status)
      return out
    }
    expect(await statuses('127.0.0.4', 4)).toEqual([202, 202, 202, 429])
    // Another client behind the same proxy is not affected.
    expect(await statuses('127.0.0.5', 1)).toEqual([202])
    // A forged X-Forwarded-For sent through nginx: nginx appends the real address, which counts.
    expect(
      await statuses('127.0.0.4', 2, (i) => ({ 'x-forwarded-for': `198.51.100.${i}` })),
    ).toEqual([429, 429])
    // Sent straight to an instance from outside the proxy, the header is ignored.
    const direct: number[] = []
    for (let i = 0; i < 4; i++) {
      const res = await postJobFrom('127.0.0.9', apis[0]!.baseUrl, {
        'x-forwarded-for': `198.51.100.${10 + i}`,
      })
      direct.push(res.status)
    }
    expect(direct).toEqual([202, 202, 202, 429])
  })

  it.runIf(enabled)('keeps a stream quota per forwarded client', async () => {
    const url = nginx!.url
    const id = await post('127.0.0.6', url)
    const events = `${url}/api/jobs/${id}/events`
    const opened = []
    try {
      // MAX_STREAMS_PER_CLIENT=2 per instance; nginx spreads the streams over the instances.
      for (let i = 0; i < 2 * mode.instances + 1; i++) {
        opened.push(await openStream(events, { from: '127.0.0.6' }))
      }
      const forged = await openStream(events, {
        from: '127.0.0.6',
        headers: { 'x-forwarded-for': '198.51.100.50' },
      })
      opened.push(forged)
      const other = await openStream(events, { from: '127.0.0.7' })
      opened.push(other)
      const statuses = opened.map((s) => s.status)
      expect(statuses).toEqual([...Array(2 * mode.instances).fill(200), 429, 429, 200])
    } finally {
      for (const s of opened) s.close()
    }
  })

  it.runIf(enabled)('does not pass /metrics on, in any spelling', async () => {
    const url = nginx!.url
    for (const path of [
      '/metrics',
      '/METRICS',
      '/metrics/',
      '//metrics',
      '/%6detrics',
      '/metrics?x=1',
    ]) {
      const res = await httpFrom('127.0.0.10', `${url}${path}`)
      expect(res.status, path).toBe(404)
      expect(res.body, path).not.toContain('inkflow_')
    }
    // The instance itself still serves it to the operator's scraper inside.
    const direct = await httpFrom('127.0.0.1', `${apis[0]!.baseUrl}/metrics`)
    expect(direct.status).toBe(200)
    expect(direct.body).toContain('inkflow_jobs_created_total')
  })

  it.runIf(enabled)(
    'a second client cannot take over the first one’s job by any key, token or header',
    async () => {
      const url = nginx!.url
      const A = '127.0.0.11'
      const B = '127.0.0.12'
      const key = { 'idempotency-key': 'article-2026-12-06' }
      const postAs = (from: string, headers: Record<string, string>) =>
        postJobFrom(from, url, headers, 'rooftop beekeeping')
      const first = await postAs(A, key)
      expect(first.status).toBe(202)
      const a = JSON.parse(first.body) as { id: string; ownerToken: string }
      // B replays A's key and body, also claiming A's address in X-Forwarded-For.
      const attempts = [await postAs(B, key), await postAs(B, { ...key, 'x-forwarded-for': A })]
      for (const res of attempts) {
        if (res.status === 202) {
          const b = JSON.parse(res.body) as { id: string; ownerToken: string }
          expect(b.id).not.toBe(a.id)
          expect(b.ownerToken).not.toBe(a.ownerToken)
        } else expect(res.status).toBe(429) // B's own rate limit, not A's job
      }
      expect(attempts.map((r) => r.body).join('')).not.toContain(a.ownerToken)
      // B tries to cancel A's job: no token, a made-up one, A's key as a token, A's address.
      const cancel = (headers: Record<string, string>) =>
        httpFrom(B, `${url}/api/jobs/${a.id}/cancel`, { method: 'POST', headers })
      const tries: Record<string, string>[] = [
        {},
        { authorization: 'Bearer made-up-token-0000' },
        { authorization: 'Bearer article-2026-12-06' },
        { authorization: 'Bearer made-up-token-0001', 'x-forwarded-for': A },
      ]
      for (const headers of tries) expect([401, 403, 429]).toContain((await cancel(headers)).status)
      // A is unaffected: its article is written to the end.
      const stream = await openStream(`${url}/api/jobs/${a.id}/events`, { from: A })
      await stream.ended
      expect(stream.events.at(-1)?.type).toBe('job.completed')
      const again = await postAs(A, key)
      expect(JSON.parse(again.body).ownerToken).toBe(a.ownerToken)
    },
  )

  it.runIf(enabled && mode.instances === 2)(
    'a stream that reconnects to the other instance misses nothing',
    async () => {
      const url = nginx!.url
      const id = await post('127.0.0.8', url)
      const events = `${url}/api/jobs/${id}/events`
      const first = await openStream(events, { from: '127.0.0.8' })
      const upstream = String(first.headers.get('x-upstream'))
      await first.waitForCount(10)
      // The instance serving the stream stops (SIGTERM): the stream ends with a retry hint,
      // its running jobs go back to the queue, and nginx sends the reconnect to the other.
      const serving = apis.find((a) => upstream === a.baseUrl.replace('http://', ''))!
      expect(serving).toBeDefined()
      await stopApi(serving, 'SIGTERM')
      await first.ended
      const lastSeen = first.events.at(-1)!.seq
      const second = await openStream(events, { from: '127.0.0.8', lastEventId: lastSeen })
      expect(second.status).toBe(200)
      expect(second.headers.get('x-upstream')).not.toBe(upstream)
      await second.ended
      expect(second.events.at(-1)?.type).toBe('job.completed')
      const all = [...seqsOf(first.events), ...seqsOf(second.events)]
      expect(all).toEqual(range(1, all.length))
    },
  )
})
