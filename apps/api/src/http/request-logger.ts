import { randomUUID } from 'node:crypto'
import type { RequestHandler } from 'express'
import type { Logger } from 'pino'

const REQUEST_ID = /^[\w.:-]{1,100}$/
/** Probes and scrapes would drown the log. */
const QUIET_PATHS = new Set(['/healthz', '/metrics'])

/**
 * Logs each request once it ends, with a request id (the caller's `X-Request-Id` when it is
 * sane, else a new one) that is echoed back and kept in `res.locals.requestId`.
 *
 * No header is logged, nor a body: `Authorization` carries API and owner tokens, and the
 * answer to `POST /api/jobs` an owner token.
 *
 * One line per request from the shared logger, no child logger or serializers per request:
 * this sits in front of every request and every open event stream (pino-http cost ~10 % of
 * the CPU of `POST /api/jobs` and a few KB per open stream).
 */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id']
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    res.setHeader('X-Request-Id', requestId)
    res.locals.requestId = requestId
    if (QUIET_PATHS.has(req.url)) return next()
    const startedAt = performance.now()
    res.once('close', () => {
      const line = {
        reqId: requestId,
        method: req.method,
        url: req.originalUrl,
        // The client's address: behind trusted proxies, from X-Forwarded-For (`TRUST_PROXY`).
        client: req.ip,
        status: res.statusCode,
        ms: Math.round(performance.now() - startedAt),
      }
      if (!res.writableFinished) logger.info(line, 'request closed by the client')
      else if (res.statusCode >= 500) logger.error(line, 'request failed')
      else logger.info(line, 'request completed')
    })
    next()
  }
}
