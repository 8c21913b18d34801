import { describe, expect, it } from 'vitest'
import { createRedactingDestination, redactUrl, urlSecrets } from '../../src/lib/redact-secrets.js'

describe('the redacting log destination', () => {
  it('replaces the STORE_URL password as written, decoded and JSON-escaped', () => {
    const url = 'redis://user:p%40ss"w0rd@redis.internal:6379/0'
    const secrets = urlSecrets(url)
    const lines: string[] = []
    const out = createRedactingDestination(secrets, { write: (line) => lines.push(line) })
    out.write(`{"msg":"could not connect to ${url}"}\n`)
    out.write(
      `${JSON.stringify({ err: { command: { name: 'auth', args: ['user', 'p@ss"w0rd'] } } })}\n`,
    )
    out.write('{"msg":"nothing secret"}\n')
    expect(lines.length).toBe(3)
    for (const line of lines) {
      expect(line).not.toContain('p@ss')
      expect(line).not.toContain('p%40ss')
    }
    expect(lines[0]).toContain('redis://user:***@redis.internal')
    expect(lines[2]).toBe('{"msg":"nothing secret"}\n')
  })

  it('has nothing to hide for a URL without a password, or no URL at all', () => {
    expect(urlSecrets('redis://127.0.0.1:6379')).toEqual([])
    expect(urlSecrets('sqlite:./data/inkflow.db')).toEqual([])
    expect(urlSecrets('memory')).toEqual([])
  })
})

describe('a URL named in a message', () => {
  it('shows its password as ***, and anything else as it was', () => {
    expect(redactUrl('redis://user:p%40ss@redis.internal:6379/0')).toBe(
      'redis://user:***@redis.internal:6379/0',
    )
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379')
    // Text the URL parser refuses is masked between `//…:` and `@` all the same.
    expect(redactUrl('redis://user:pa/ss@redis internal')).toBe('redis://user:***@redis internal')
  })
})
