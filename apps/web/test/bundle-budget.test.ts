import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'

const DIST = fileURLToPath(new URL('../dist/', import.meta.url))

/** The first load's budget: every script, preload and stylesheet `index.html` asks for. */
const BUDGET_GZIP_BYTES = 40_000

/** Packages that must stay out of the first load: the Markdown renderer loads on demand. */
const LAZY = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(marked|dompurify|remend)\//
/** zod's classic API; the browser parses with `zod/mini`, as the shared schemas are written. */
const CLASSIC_ZOD = /zod\/v4\/classic\//
/**
 * The request bodies only the API parses: `@inkflow/shared` is `sideEffects: false`, so its
 * module goes when the browser imports nothing from it (zod/mini's calls could not be dropped
 * one by one: a `.check()` is a method call a bundler must keep).
 */
const API_ONLY = /packages\/shared\/src\/requests\.ts$/
/** What only a finished article's page needs: revising a section and exporting it. */
const FINISHED_ONLY =
  /src\/lib\/(components\/(FinishedPanel|ReviseSection)\.svelte|markdown\/export-html\.ts)$/

function initialAssets(): string[] {
  const path = `${DIST}index.html`
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`pnpm build\` first`)
  const html = readFileSync(path, 'utf8')
  const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="\.?\/?([^"]+)"/g)]
  const links = [...html.matchAll(/<link\b[^>]*\brel="(?:stylesheet|modulepreload)"[^>]*>/g)]
  const hrefs = links.map(([tag]) => /\bhref="\.?\/?([^"]+)"/.exec(tag)?.[1])
  return [...scripts.map((m) => m[1]), ...hrefs].filter((p): p is string => !!p)
}

const gzipped = (file: string) => gzipSync(readFileSync(`${DIST}${file}`), { level: 9 }).length

describe('the production build’s first load', () => {
  it(`stays under ${BUDGET_GZIP_BYTES / 1000} kB gzipped (JS + CSS)`, () => {
    const assets = initialAssets()
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true)
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true)
    const sizes = Object.fromEntries(assets.map((a) => [a, gzipped(a)]))
    const total = Object.values(sizes).reduce((a, b) => a + b, 0)
    expect(total, JSON.stringify(sizes)).toBeLessThan(BUDGET_GZIP_BYTES)
  })

  it('leaves the Markdown renderer, zod’s classic API, the API’s request schemas and the finished page’s revise and export code out of it', () => {
    for (const asset of initialAssets().filter((a) => a.endsWith('.js'))) {
      const map = JSON.parse(readFileSync(`${DIST}${asset}.map`, 'utf8')) as { sources: string[] }
      expect(
        map.sources.filter(
          (s) => LAZY.test(s) || CLASSIC_ZOD.test(s) || API_ONLY.test(s) || FINISHED_ONLY.test(s),
        ),
      ).toEqual([])
    }
  })
})
