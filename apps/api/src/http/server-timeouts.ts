import type { Server } from 'node:http'

/**
 * The HTTP server's own deadlines, set by `applyServerTimeouts`.
 *
 * - `headersTimeoutMs`: a client has this long to send a request's headers, so a connection
 *   that trickles them (slowloris) is closed instead of held.
 * - `requestTimeoutMs`: this long for the whole request, body included (bodies are at most
 *   16 KiB). An event stream's request is complete once its headers are in; its response
 *   may last as long as the job, which this does not bound.
 * - `keepAliveTimeoutMs`: how long an idle kept-alive connection stays open. It must be
 *   longer than any proxy keeps its idle upstream connections (nginx's `keepalive_timeout`
 *   in the `upstream` block, 60 s in `deploy/nginx-inkflow.conf`): otherwise Node may close a
 *   connection just as the proxy sends a request on it, and that request fails with a 502.
 */
export const SERVER_TIMEOUTS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 65_000,
} as const

/** Sets `SERVER_TIMEOUTS` on a server before it takes requests. */
export function applyServerTimeouts(server: Server): Server {
  server.headersTimeout = SERVER_TIMEOUTS.headersTimeoutMs
  server.requestTimeout = SERVER_TIMEOUTS.requestTimeoutMs
  server.keepAliveTimeout = SERVER_TIMEOUTS.keepAliveTimeoutMs
  return server
}
