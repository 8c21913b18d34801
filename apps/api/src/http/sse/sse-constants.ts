/** Transport constants of the event stream (`docs/http-contract.md`, "The event stream: …"). */

/**
 * Headers of every stream: no caching or transforming proxies, no nginx buffering. No
 * `Connection` header: Node answers a keep-alive request with keep-alive itself, and one
 * set here would override a client's `Connection: close` and hold its socket open.
 */
export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
})

/** The `retry:` hint at the start of a stream: how soon a dropped client reconnects. */
export const SSE_RETRY_MS = 1000

/** Events read from the log per replay query. */
export const SSE_REPLAY_PAGE = 500
