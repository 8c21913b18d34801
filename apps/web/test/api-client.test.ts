import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createApiClient } from '../src/lib/api/api-client.js'
import { ApiError } from '../src/lib/api/api-error.js'
import { loadRuntimeConfig } from '../src/lib/api/runtime-config.js'
import { topicError } from '../src/lib/state/validate-topic.js'

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
    await expect(api.listJobs()).rejects.toMatchObject({ status: 0, message: /cannot reach/ })
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
