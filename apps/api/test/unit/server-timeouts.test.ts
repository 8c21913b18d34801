import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { describe, expect, it } from 'vitest'
import { loadSettings, SettingsError } from '../../src/env.js'
import { applyServerTimeouts, SERVER_TIMEOUTS } from '../../src/http/server-timeouts.js'

const conf = readFileSync(new URL('../../../../deploy/nginx-inkflow.conf', import.meta.url), 'utf8')

/** A `<name> <n>s;` directive of the shipped nginx conf, in ms. */
function seconds(name: string): number {
  const match = new RegExp(`^\\s*${name} (\\d+)s;$`, 'm').exec(conf)
  expect(match, name).not.toBeNull()
  return Number(match![1]) * 1000
}

describe('the server’s deadlines and the shipped proxy agree', () => {
  it('keeps idle connections open longer than nginx keeps its upstream ones', () => {
    expect(SERVER_TIMEOUTS.keepAliveTimeoutMs).toBeGreaterThan(seconds('keepalive_timeout'))
  })

  it('pings quiet streams well within nginx’s read timeout, whatever HEARTBEAT_MS says', () => {
    const readTimeout = seconds('proxy_read_timeout')
    expect(loadSettings({ HEARTBEAT_MS: '60000' }).heartbeatMs).toBeLessThan(readTimeout)
    expect(() => loadSettings({ HEARTBEAT_MS: String(readTimeout) })).toThrow(SettingsError)
  })

  it('sets header, request and keep-alive deadlines on the server', () => {
    const server = applyServerTimeouts(createServer())
    expect(server.headersTimeout).toBe(SERVER_TIMEOUTS.headersTimeoutMs)
    expect(server.requestTimeout).toBe(SERVER_TIMEOUTS.requestTimeoutMs)
    expect(server.keepAliveTimeout).toBe(SERVER_TIMEOUTS.keepAliveTimeoutMs)
    expect(server.headersTimeout).toBeLessThanOrEqual(server.requestTimeout)
  })
})
