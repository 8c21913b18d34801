import { describe, expect, it } from 'vitest'
import { loadSettings, SettingsError } from '../../src/env.js'
import { parseRedisUrl } from '../../src/store/redis/redis-connection.js'

describe('redis settings', () => {
  it('defaults the key prefix and a seconds-scale stall interval', () => {
    const s = loadSettings({ STORE_URL: 'redis://127.0.0.1:6379' })
    expect(s.redis).toEqual({ keyPrefix: 'inkflow', stallIntervalMs: 5000 })
  })

  it('refuses ROLE=api or ROLE=worker without a redis store, naming ROLE', () => {
    for (const ROLE of ['api', 'worker']) {
      expect(() => loadSettings({ ROLE, STORE_URL: 'memory' })).toThrow(SettingsError)
      expect(() => loadSettings({ ROLE, STORE_URL: 'memory' })).toThrow(/\bROLE\b/)
      expect(loadSettings({ ROLE, STORE_URL: 'redis://h:1' }).role).toBe(ROLE)
    }
  })

  it.each([
    ['STALL_INTERVAL_MS', { STALL_INTERVAL_MS: '10' }],
    ['REDIS_KEY_PREFIX', { REDIS_KEY_PREFIX: 'a:b' }],
  ])('names %s when its value is bad', (name, env) => {
    expect(() => loadSettings(env)).toThrow(new RegExp(`\\b${name}\\b`))
  })

  it('reads host, port, db and credentials from the URL', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6380/3')).toMatchObject({
      host: '127.0.0.1',
      port: 6380,
      db: 3,
    })
    expect(parseRedisUrl('rediss://u:p%40ss@example.com')).toMatchObject({
      port: 6379,
      db: 0,
      username: 'u',
      password: 'p@ss',
      tls: {},
    })
    expect(() => parseRedisUrl('redis://h/x')).toThrow(/db/)
  })
})
