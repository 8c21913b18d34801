import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'

/**
 * A Lua script run by its SHA (EVALSHA), loaded on first use or after a server restart
 * (NOSCRIPT). Scripts are how several keys change atomically on one Redis.
 */
export function createLuaScript(source: string) {
  const sha = createHash('sha1').update(source).digest('hex')
  return async (client: Redis, keys: string[], args: (string | number)[]): Promise<unknown> => {
    try {
      return await client.evalsha(sha, keys.length, ...keys, ...args)
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err
      return client.eval(source, keys.length, ...keys, ...args)
    }
  }
}
