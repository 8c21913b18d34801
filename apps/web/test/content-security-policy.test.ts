import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const BUILT = fileURLToPath(new URL('../dist/index.html', import.meta.url))

describe('the built index.html', () => {
  it('ships a Content-Security-Policy that allows no inline script, and has none', () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`pnpm build\` first`)
    const html = readFileSync(BUILT, 'utf8')
    const csp = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    expect(csp).toBeDefined()
    const directives = new Map(
      (csp ?? '').split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/)
        return [name, values] as const
      }),
    )
    expect(directives.get('script-src')).toEqual(["'self'"])
    expect(directives.get('object-src')).toEqual(["'none'"])
    expect(directives.get('base-uri')).toEqual(["'self'"])
    // Every script is an external file from our origin.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    expect(scripts.length).toBeGreaterThan(0)
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\ssrc="\.?\/assets\/[^"]+\.js"/)
      expect(body?.trim()).toBe('')
    }
  })
})
