import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
}

/** A static host for the built SPA, like a CDN: files as they are, plus a `config.json`. */
export interface SpaServer {
  /** `http://localhost:<port>`: another origin than the API's `127.0.0.1`. */
  origin: string
  /** What `/config.json` answers; `undefined` answers 404 (same-origin API). */
  setConfig(config: { apiBaseUrl: string } | undefined): void
  close(): Promise<void>
}

/** Serves `dir` on a free loopback port. */
export async function serveSpa(dir: string): Promise<SpaServer> {
  let config: { apiBaseUrl: string } | undefined
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === '/config.json') {
      if (!config) return void res.writeHead(404).end()
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' })
      return void res.end(JSON.stringify(config))
    }
    const file = normalize(join(dir, path === '/' ? 'index.html' : path))
    if (!file.startsWith(dir)) return void res.writeHead(403).end()
    try {
      const body = await readFile(file)
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
      res.end(body)
    } catch {
      res.writeHead(404).end()
    }
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://localhost:${port}`,
    setConfig(next) {
      config = next
    },
    async close() {
      server.closeAllConnections()
      server.close()
      await once(server, 'close').catch(() => {})
    },
  }
}
