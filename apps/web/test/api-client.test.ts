import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { accessToken } from '../src/lib/api/access-token.js'
import { createApiClient } from '../src/lib/api/api-client.js'
import { ApiError } from '../src/lib/api/api-error.js'
import { HISTORY_MAX_ENTRIES, jobHistory } from '../src/lib/api/job-history.js'
import { loadRuntimeConfig } from '../src/lib/api/runtime-config.js'
import { topicError } from '../src/lib/state/validate-topic.js'
import { memoryStorage } from './helpers/memory-storage.js'

let server: Server | undefined
afterEach(() => {
  server?.closeAllConnections()
  server?.close()
})

/** A real server answering every request with `status`, `type` and `body`. */
async function serve(status: number, type: string, body: string) {
  server = createServer((_req, res) => res.writeHead(status, { 'content-type': type }).end(body))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('api client', () => {
  it("surfaces the problem body's detail", async () => {
    const problem = {
      type: 't',
      title: 'Invalid job',
      status: 422,
      detail: 'topic: topic must not be empty',
    }
    const api = createApiClient(
      await serve(422, 'application/problem+json', JSON.stringify(problem)),
    )
    const error = await api.createJob(' ').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 422, message: 'topic: topic must not be empty' })
  })

  it('treats cancelling a finished job (409) as done', async () => {
    const problem = { type: 't', title: 'Job already finished', status: 409 }
    const api = createApiClient(
      await serve(409, 'application/problem+json', JSON.stringify(problem)),
    )
    await expect(api.cancelJob('j')).resolves.toBeUndefined()
  })

  it('says so when the server cannot be reached', async () => {
    const api = createApiClient('http://127.0.0.1:1')
    await expect(api.getJob('j')).rejects.toMatchObject({ status: 0, message: /cannot reach/ })
  })

  it('keeps a started job and its owner token in the history, and cancels with that token', async () => {
    const seen: { method?: string; url?: string; authorization?: string }[] = []
    const ownerToken = 'o'.repeat(43)
    server = createServer((req, res) => {
      seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization })
      if (req.url === '/api/jobs') {
        const links = { self: '/api/jobs/j1', events: '/api/jobs/j1/events' }
        res.writeHead(202, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ id: 'j1', status: 'queued', ownerToken, links }))
      } else {
        const links = { self: '/api/jobs/j2', events: '/api/jobs/j2/events' }
        res.writeHead(202, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ id: 'j2', status: 'running', links }))
      }
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const history = jobHistory(memoryStorage())
    const api = createApiClient(base, fetch, accessToken(undefined), history)
    await api.createJob('Tea')
    expect(history.list()).toEqual([
      { id: 'j1', ownerToken, topic: 'Tea', createdAt: expect.any(String) },
    ])
    await api.cancelJob('j1')
    // A job started elsewhere: no token of its own to send (the server then answers 401).
    await api.cancelJob('j2')
    expect(seen.slice(1)).toEqual([
      { method: 'POST', url: '/api/jobs/j1/cancel', authorization: `Bearer ${ownerToken}` },
      { method: 'POST', url: '/api/jobs/j2/cancel', authorization: undefined },
    ])
  })
})

describe('api client: approving an outline', () => {
  const ownerToken = 'o'.repeat(43)
  const outline = { title: 'A short history of tea', sections: ['Beginnings', 'Trade', 'Today'] }
  const job = {
    id: 'j1',
    topic: 'The history of tea',
    options: {
      tone: 'playful',
      length: 'short',
      audience: 'beginners',
      language: 'en',
      reviewOutline: true,
    } as const,
    status: 'queued',
    progress: 30,
    step: 'outline',
    createdAt: '2026-12-01T18:00:00.000Z',
    updatedAt: '2026-12-01T18:01:00.000Z',
    outline,
  }

  /** A real server answering `status` with `body`, keeping what each request carried. */
  async function recordingServer(status: number, type: string, body: string) {
    const seen: {
      method?: string
      url?: string
      headers: Record<string, unknown>
      body: string
    }[] = []
    server = createServer((req, res) => {
      let data = ''
      req.on('data', (chunk) => {
        data += chunk
      })
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body: data })
        res.writeHead(status, { 'content-type': type }).end(body)
      })
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
  }

  const historyWith = (id: string) => {
    const history = jobHistory(memoryStorage())
    history.add({ id, ownerToken, topic: 'The history of tea', createdAt: job.createdAt })
    return history
  }

  it('PUTs the outline as JSON with the owner token, and returns the job', async () => {
    const { base, seen } = await recordingServer(202, 'application/json', JSON.stringify(job))
    const api = createApiClient(base, fetch, accessToken(undefined), historyWith('j1'))
    const answer = await api.approveOutline('j1', outline)
    expect(answer).toEqual(job)
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ method: 'PUT', url: '/api/jobs/j1/outline' })
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${ownerToken}`)
    expect(seen[0]?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual(outline)
  })

  it('rejects with the status and detail of a 409 (not waiting) or a 422 (bad outline)', async () => {
    for (const [status, detail] of [
      [409, 'job j1 is not waiting for its outline'],
      [422, 'sections: an outline has at least 3 sections'],
    ] as const) {
      const problem = { type: 't', title: 'No', status, detail }
      const { base } = await recordingServer(
        status,
        'application/problem+json',
        JSON.stringify(problem),
      )
      const api = createApiClient(base, fetch, accessToken(undefined), historyWith('j1'))
      const error = await api.approveOutline('j1', outline).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ApiError)
      expect(error).toMatchObject({ status, message: detail })
      server?.closeAllConnections()
      server?.close()
    }
  })

  it('sends no access token for a job this browser did not start, and says when offline', async () => {
    const { base, seen } = await recordingServer(202, 'application/json', JSON.stringify(job))
    const token = accessToken(undefined)
    token.set('the-api-token')
    await createApiClient(base, fetch, token, jobHistory(memoryStorage())).approveOutline(
      'j1',
      outline,
    )
    // The API token creates and nothing more: it never goes with a control request.
    expect(seen).toHaveLength(1)
    expect(seen[0]?.headers.authorization).toBeUndefined()
    const offline = createApiClient('http://127.0.0.1:1')
    await expect(offline.approveOutline('j1', outline)).rejects.toMatchObject({
      status: 0,
      message: /cannot reach/,
    })
  })

  it('starts a job with its options in the POST body', async () => {
    const links = { self: '/api/jobs/j1', events: '/api/jobs/j1/events' }
    const created = { id: 'j1', status: 'queued', ownerToken, links }
    const { base, seen } = await recordingServer(202, 'application/json', JSON.stringify(created))
    const api = createApiClient(base, fetch, accessToken(undefined), jobHistory(memoryStorage()))
    await api.createJob('The history of tea', job.options)
    await api.createJob('Bees')
    expect(seen.map((r) => JSON.parse(r.body))).toEqual([
      { topic: 'The history of tea', ...job.options },
      { topic: 'Bees' },
    ])
  })
})

describe('the access token', () => {
  it('is kept once the server takes it, and not kept when the server refuses it', async () => {
    const storage = memoryStorage()
    const token = accessToken(storage)
    const refused = await serve(401, 'application/problem+json', '{"status":401,"title":"no"}')
    token.set('a-token-the-server-refuses')
    await expect(createApiClient(refused, fetch, token).createJob('Tea')).rejects.toMatchObject({
      status: 401,
    })
    // Gone from the browser; the page still knows what it sent, to say it was refused.
    expect(storage.items.size).toBe(0)
    expect(token.get()).toBe('a-token-the-server-refuses')
    expect(accessToken(storage).get()).toBeUndefined()
  })
})

describe('job history', () => {
  const entry = (id: string, minute: number) => ({
    id,
    ownerToken: `token-${id}`,
    topic: `topic ${id}`,
    createdAt: new Date(Date.UTC(2026, 11, 1, 10, minute)).toISOString(),
  })

  it('lists newest first, finds owner tokens, forgets what it is told to', () => {
    const storage = memoryStorage()
    const history = jobHistory(storage)
    history.add(entry('a', 1))
    history.add(entry('c', 3))
    history.add(entry('b', 2))
    expect(history.list().map((e) => e.id)).toEqual(['c', 'b', 'a'])
    expect(history.ownerToken('b')).toBe('token-b')
    expect(history.ownerToken('nope')).toBeUndefined()
    history.remove('c')
    expect(history.list().map((e) => e.id)).toEqual(['b', 'a'])
    // Another tab (another history on the same storage) sees the same jobs.
    expect(jobHistory(storage).ownerToken('a')).toBe('token-a')
  })

  it(`keeps the newest ${HISTORY_MAX_ENTRIES}`, () => {
    const history = jobHistory(memoryStorage())
    for (let i = 0; i < HISTORY_MAX_ENTRIES + 5; i++) history.add(entry(`j${i}`, i))
    const ids = history.list().map((e) => e.id)
    expect(ids).toHaveLength(HISTORY_MAX_ENTRIES)
    expect(ids[0]).toBe(`j${HISTORY_MAX_ENTRIES + 4}`)
    expect(ids).not.toContain('j4')
  })

  it('skips what it cannot read, and works for the page when storage refuses', () => {
    const storage = memoryStorage()
    storage.setItem('inkflow.jobs', JSON.stringify([entry('ok', 1), { id: 'half' }, 42]))
    expect(
      jobHistory(storage)
        .list()
        .map((e) => e.id),
    ).toEqual(['ok'])
    storage.setItem('inkflow.jobs', '{not json')
    expect(jobHistory(storage).list()).toEqual([])
    const refusing = {
      getItem: () => {
        throw new Error('denied')
      },
      setItem: () => {
        throw new Error('denied')
      },
    }
    const history = jobHistory(refusing)
    history.add(entry('kept', 1))
    expect(history.ownerToken('kept')).toBe('token-kept')
    expect(jobHistory(undefined).list()).toEqual([])
  })
})

describe('runtime config', () => {
  it('reads apiBaseUrl from config.json beside the page', async () => {
    const base = await serve(200, 'application/json', '{"apiBaseUrl":"https://api.example.com"}')
    expect(await loadRuntimeConfig(`${base}/app/index.html`)).toEqual({
      apiBaseUrl: 'https://api.example.com',
    })
  })

  it('falls back to the same origin when config.json is an HTML fallback page', async () => {
    const base = await serve(200, 'text/html', '<!doctype html><title>app</title>')
    expect(await loadRuntimeConfig(`${base}/`)).toEqual({ apiBaseUrl: '' })
  })
})

describe('topicError', () => {
  it('rejects an empty or too long topic, counting characters after trimming', () => {
    expect(topicError('   ')).toBe('Please enter a topic.')
    expect(topicError(`  ${'é'.repeat(200)}  `)).toBeNull()
    expect(topicError('x'.repeat(201))).toMatch(/201 characters/)
  })
})
