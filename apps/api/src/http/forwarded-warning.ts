import type { RequestHandler } from 'express'
import type { Logger } from 'pino'

/**
 * With no proxy trusted (`TRUST_PROXY` off), an `X-Forwarded-For` header is ignored: it is
 * either a client trying another identity, or a proxy in front that the operator has not
 * declared, in which case every client shares the proxy's limits. Says so once, in the log.
 */
export function warnOnUntrustedForwarding(logger: Logger): RequestHandler {
  let warned = false
  return (req, _res, next) => {
    if (!warned && req.headers['x-forwarded-for'] !== undefined) {
      warned = true
      logger.warn(
        { client: req.ip },
        'a request carried X-Forwarded-For, which is ignored while TRUST_PROXY is off; behind a proxy or CDN set TRUST_PROXY, or every client shares its limits',
      )
    }
    next()
  }
}
