import { Redis, type RedisOptions } from 'ioredis'

/**
 * Connection options from a `redis://[user:password@]host[:port][/db]` URL (`rediss://` for
 * TLS). Port defaults to 6379, db to 0.
 */
export function parseRedisUrl(url: string): RedisOptions {
  // No message names the URL: it may carry a password.
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error('STORE_URL is not a valid redis URL')
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error('STORE_URL is not a redis URL')
  }
  const db = parsed.pathname.replace(/^\//, '')
  if (db !== '' && !/^\d{1,2}$/.test(db)) throw new Error('bad redis db number in STORE_URL')
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
