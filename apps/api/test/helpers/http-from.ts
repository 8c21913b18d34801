import { request } from 'node:http'

export interface HttpAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/**
 * One HTTP request from a chosen loopback source address (`localAddress`, any 127.0.0.x), so a
 * test can play several clients; no keep-alive, so each request is its own connection.
 */
export function httpFrom(
  from: string,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        localAddress: from,
        agent: false,
        headers: options.headers,
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          body += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

/** `POST /api/jobs` from `from`, with extra headers (`X-Forwarded-For`, say). */
export const postJobFrom = (
  from: string,
  baseUrl: string,
  headers: Record<string, string> = {},
  topic = 'tea',
) =>
  httpFrom(from, `${baseUrl}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ topic }),
  })
