import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  envExample,
  SETTINGS_DOC_FILES,
  settingsTable,
  withSettingsTables,
} from '../../scripts/settings-docs.js'
import { SETTINGS } from '../../src/env.js'

const read = (path: string) => readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8')
const STALE = 'stale: run `pnpm settings:docs` after changing apps/api/src/env.ts'

describe('the settings docs, generated from env.ts', () => {
  it.each(SETTINGS_DOC_FILES)('%s shows the tables env.ts gives', (file) => {
    const text = read(file)
    expect(withSettingsTables(text), `${file} is ${STALE}`).toBe(text)
    // Every group has its table there, the tuning and the hooks too.
    for (const group of ['you set', 'tuning', 'hook'] as const) {
      expect(text, `${file} lacks the ${group} table`).toContain(
        `<!-- settings: ${group} -->\n${settingsTable(group)}\n<!-- /settings -->`,
      )
    }
  })

  it('.env.example lists what env.ts gives', () => {
    expect(read('.env.example'), `.env.example is ${STALE}`).toBe(envExample())
  })

  it('lists every setting once across the three groups, hooks apart', () => {
    const rows = ['you set', 'tuning', 'hook'].flatMap((group) =>
      settingsTable(group as 'you set')
        .split('\n')
        .slice(2),
    )
    const named = rows.map((row) => /^\| `([A-Z_]+)` \|/.exec(row)?.[1])
    expect(named.sort()).toEqual(Object.keys(SETTINGS).sort())
    expect(settingsTable('hook')).toContain('`DEMO_TOKEN_STAMPS`')
    expect(settingsTable('hook')).toContain('`INKFLOW_FAILPOINT`')
    expect(envExample()).not.toMatch(/DEMO_TOKEN_STAMPS|INKFLOW_FAILPOINT|HEARTBEAT_MS/)
    expect(envExample()).toMatch(/^# OPENAI_API_KEY=$/m)
    expect(envExample()).toMatch(/^STORE_URL=sqlite:\.\/data\/inkflow\.db$/m)
  })
})

describe('the license', () => {
  it('is MIT at the root and in every package.json', () => {
    expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the inkflow authors\n/)
    const manifests = [
      'package.json',
      'apps/api/package.json',
      'apps/web/package.json',
      'packages/shared/package.json',
      'packages/llm-stub/package.json',
      'bench/package.json',
    ]
    for (const file of manifests) expect(JSON.parse(read(file)).license, file).toBe('MIT')
  })
})
