import { Redis, type RedisOptions } from 'ioredis'
import { redactUrl } from '../../lib/redact-secrets.js'

/**
 * Connection options from a `redis://[user:password@]host[:port][/db]` URL (`rediss://` for
 * TLS). Port defaults to 6379, db to 0.
 */
export function parseRedisUrl(url: string): RedisOptions {
  // Every message names the URL without its password; Node's own URL error would carry the
  // whole input (its `input` field), so it is not passed on.
  const shown = redactUrl(url)
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error(`not a valid redis URL: ${shown}`)
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`not a redis URL: ${shown}`)
  }
  const db = parsed.pathname.replace(/^\//, '')
  if (db !== '' && !/^\d{1,2}$/.test(db)) throw new Error(`bad redis db number in ${shown}`)
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    db: db === '' ? 0 : Number(db),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
  }
}

/**
 * Opens a named connection. The name (`CLIENT SETNAME`) shows which process and purpose a
 * connection serves in `CLIENT LIST`, which is how connection sharing is checked.
 */
export function createRedisClient(
  options: RedisOptions,
  name: string,
  extra: RedisOptions = {},
): Redis {
  return new Redis({
    ...options,
    connectionName: name,
    // A failed command surfaces quickly (readiness, appends) instead of queueing forever.
    maxRetriesPerRequest: 3,
    ...extra,
  })
}

/** Closes a connection politely, falling back to a hard disconnect if QUIT cannot be sent. */
export async function closeRedisClient(client: Redis): Promise<void> {
  if (client.status === 'end') return
  try {
    await client.quit()
  } catch {
    client.disconnect()
  }
}
