import type { RequestHandler, Response } from 'express'
import helmet, { type HelmetOptions } from 'helmet'

/**
 * helmet's headers, worked out once at start-up and then set as a list.
 *
 * helmet decides its headers from its options alone (no directive here depends on the
 * request), yet as middleware it runs a dozen small functions per request. Recording what
 * it sets on a stand-in response keeps helmet the source of truth for the header values
 * while a request only pays for the `setHeader` calls.
 */
export function securityHeaders(options: HelmetOptions): RequestHandler {
  const headers: [string, string][] = []
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.push([name, String(value)])
    },
    removeHeader() {},
  } as unknown as Response
  let done = false
  helmet(options)({} as never, recorder, () => {
    done = true
  })
  if (!done) throw new Error('helmet did not settle its headers synchronously')
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value)
    next()
  }
}
