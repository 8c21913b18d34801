// `pnpm settings:docs`: rewrites the settings tables and `.env.example` from apps/api/src/env.ts.
import { readFileSync, writeFileSync } from 'node:fs'
import { envExample, SETTINGS_DOC_FILES, withSettingsTables } from './settings-docs.js'

const root = new URL('../../../', import.meta.url)
for (const file of SETTINGS_DOC_FILES) {
  const url = new URL(file, root)
  writeFileSync(url, withSettingsTables(readFileSync(url, 'utf8')))
}
writeFileSync(new URL('.env.example', root), envExample())
console.log(`settings docs written: ${[...SETTINGS_DOC_FILES, '.env.example'].join(', ')}`)
