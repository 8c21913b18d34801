/**
 * Error replies of a Redis that may pass: still loading its data, busy with a script, out of
 * memory, refusing writes after a failed save, a replica or a cluster in the middle of a
 * change.
 */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MISCONF|READONLY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|OOM) /

/** Connection faults: the socket's own errors, and ioredis's words for a command it gave up on. */
const CONNECTION_FAULT =
  /(Connection is closed|Stream isn't writeable|Reached the max retries per request|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTCONN|Command timed out|Socket closed unexpectedly)/

/** Whether `err` is a Redis fault a writer may wait out (Redis away, restarting, loading). */
export function isTransientRedisError(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  if (err.name === 'MaxRetriesPerRequestError') return true
  const { code } = err as { code?: unknown }
  if (typeof code === 'string' && /^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH)$/.test(code))
    return true
  return TRANSIENT_REPLY.test(err.message) || CONNECTION_FAULT.test(err.message)
}
