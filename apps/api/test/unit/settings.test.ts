import { describe, expect, it } from 'vitest'
import { loadSettings, SettingsError } from '../../src/env.js'

describe('settings', () => {
  it('defaults to the embedded SQLite store and the demo model when no key is set', () => {
    const s = loadSettings({})
    expect(s).toMatchObject({
      host: '127.0.0.1',
      port: 8787,
      storeUrl: 'sqlite:./data/inkflow.db',
      role: 'all',
    })
    expect(s.llm).toMatchObject({ provider: 'demo', model: 'gpt-4o-mini', demoTokenDelayMs: 20 })
    expect(s).toMatchObject({ heartbeatMs: 15_000, maxConcurrentJobs: 8, logLevel: 'info' })
    expect(s.corsOrigins).toContain('http://localhost:5173')
  })

  it('picks the openai provider when a key is set', () => {
    expect(loadSettings({ OPENAI_API_KEY: 'sk-x' }).llm.provider).toBe('openai')
    expect(loadSettings({ OPENAI_API_KEY: 'sk-x', LLM_PROVIDER: 'demo' }).llm.provider).toBe('demo')
  })

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['STORE_URL', { STORE_URL: 'mongodb://x' }],
    ['ROLE', { ROLE: 'boss' }],
    ['MAX_CONCURRENT_JOBS', { MAX_CONCURRENT_JOBS: '0' }],
    ['OPENAI_BASE_URL', { OPENAI_BASE_URL: 'not a url' }],
    ['OPENAI_API_KEY', { LLM_PROVIDER: 'openai' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['REVIEW_TIMEOUT', { REVIEW_TIMEOUT: 'soon' }],
    ['REVIEW_TIMEOUT', { REVIEW_TIMEOUT: '-1h' }],
    ['REVIEW_TIMEOUT', { REVIEW_TIMEOUT: '50ms' }],
    ['STORE_OUTAGE_TIMEOUT', { STORE_OUTAGE_TIMEOUT: 'a while' }],
    ['STORE_OUTAGE_TIMEOUT', { STORE_OUTAGE_TIMEOUT: '10ms' }],
    ['OPERATOR_TOKEN', { OPERATOR_TOKEN: 'short' }],
    ['OPERATOR_TOKEN', { API_TOKEN: 'the-same-long-token', OPERATOR_TOKEN: 'the-same-long-token' }],
    ['HEARTBEAT_MS', { HEARTBEAT_MS: '60001' }],
    ['MAX_STREAMS', { MAX_STREAMS: '0' }],
  ])('names %s when its value is bad', (name, env) => {
    expect(() => loadSettings(env)).toThrow(SettingsError)
    expect(() => loadSettings(env)).toThrow(new RegExp(`\\b${name}\\b`))
  })

  it('reads REVIEW_TIMEOUT as a duration, 24 h by default', () => {
    expect(loadSettings({}).reviewTimeoutMs).toBe(86_400_000)
    expect(loadSettings({ REVIEW_TIMEOUT: '30m' }).reviewTimeoutMs).toBe(1_800_000)
    expect(loadSettings({ REVIEW_TIMEOUT: '7d' }).reviewTimeoutMs).toBe(604_800_000)
    expect(loadSettings({ REVIEW_TIMEOUT: '90000' }).reviewTimeoutMs).toBe(90_000)
  })

  it('reads STORE_OUTAGE_TIMEOUT as a duration, 2 min by default', () => {
    expect(loadSettings({}).storeOutageTimeoutMs).toBe(120_000)
    expect(loadSettings({ STORE_OUTAGE_TIMEOUT: '30s' }).storeOutageTimeoutMs).toBe(30_000)
    expect(loadSettings({ STORE_OUTAGE_TIMEOUT: '5m' }).storeOutageTimeoutMs).toBe(300_000)
  })

  it('keeps the STORE_URL password, and only it, for the logs to hide', () => {
    expect(loadSettings({ STORE_URL: 'redis://:hunter2@127.0.0.1:6379' }).logSecrets).toEqual([
      'hunter2',
    ])
    expect(loadSettings({}).logSecrets).toEqual([])
  })

  it('splits the CORS allow-list', () => {
    expect(
      loadSettings({ CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins,
    ).toEqual(['https://a.example', 'https://b.example'])
  })
})
