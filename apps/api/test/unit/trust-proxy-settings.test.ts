import { describe, expect, it } from 'vitest'
import { loadSettings, SettingsError } from '../../src/env.js'

describe('TRUST_PROXY', () => {
  it('trusts no proxy by default, nor when empty, false, off or 0', () => {
    expect(loadSettings({}).trustProxy).toBe(false)
    for (const value of ['', 'false', 'off', '0']) {
      expect(loadSettings({ TRUST_PROXY: value }).trustProxy).toBe(false)
    }
  })

  it('takes a hop count', () => {
    expect(loadSettings({ TRUST_PROXY: '2' }).trustProxy).toBe(2)
  })

  it('takes addresses, CIDRs and named ranges', () => {
    expect(
      loadSettings({ TRUST_PROXY: 'loopback, 10.0.0.0/8,192.168.1.7, fd00::/8, ::1' }).trustProxy,
    ).toEqual(['loopback', '10.0.0.0/8', '192.168.1.7', 'fd00::/8', '::1'])
  })

  it.each([
    ['true', /every peer/],
    ['yes', /"yes"/],
    ['10.0.0.0/33', /"10\.0\.0\.0\/33"/],
    ['10.0.0.300', /"10\.0\.0\.300"/],
    ['loopback,,10.0.0.1', /""/],
    ['99', /1-32/],
  ])('stops on %s, naming the variable', (value, reason) => {
    expect(() => loadSettings({ TRUST_PROXY: value })).toThrow(SettingsError)
    expect(() => loadSettings({ TRUST_PROXY: value })).toThrow(/\bTRUST_PROXY\b/)
    expect(() => loadSettings({ TRUST_PROXY: value })).toThrow(reason)
  })
})
