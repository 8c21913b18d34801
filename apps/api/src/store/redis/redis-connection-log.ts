import type { Redis } from 'ioredis'

/** What the connection log writes to (a pino logger fits). */
export interface ConnectionLogger {
  warn(fields: object, message: string): void
  info(fields: object, message: string): void
}

/**
 * The state of each named Redis connection of a process, logged once per change: a warning
 * when it is lost, a line when it is back — not one per reconnect attempt, which ioredis makes
 * every few hundred milliseconds for as long as Redis is away. Every connection needs an
 * `error` listener anyway, or ioredis prints `Unhandled error event` on each attempt.
 */
export function createRedisConnectionLog(logger: ConnectionLogger) {
  const downSince = new Map<string, number>()

  const lost = (name: string, err: unknown) => {
    if (downSince.has(name)) return
    downSince.set(name, Date.now())
    const reason = err instanceof Error ? err.message : String(err)
    logger.warn({ connection: name, reason }, 'redis connection lost; reconnecting')
  }

  const back = (name: string) => {
    const since = downSince.get(name)
    if (since === undefined) return
    downSince.delete(name)
    logger.info({ connection: name, downMs: Date.now() - since }, 'redis connection back')
  }

  return {
    /** Hears the errors and the reconnects of `client`, known as `name` in the log. */
    watch(client: Redis, name: string): void {
      client.on('error', (err: unknown) => lost(name, err))
      client.on('ready', () => back(name))
    },
    /** A connection `name` failed (for connections whose errors come through another object). */
    lost,
    /** Connection `name` works again. */
    back,
  }
}

export type RedisConnectionLog = ReturnType<typeof createRedisConnectionLog>
