import { SETTINGS, type SettingGroup } from '../src/env.js'

type Name = keyof typeof SETTINGS

/** The files that carry generated settings docs, relative to the repository's root. */
export const SETTINGS_DOC_FILES = ['README.md', 'docs/http-contract.md'] as const

const names = (group: SettingGroup) =>
  (Object.keys(SETTINGS) as Name[]).filter((name) => SETTINGS[name].doc.group === group)

/** The default a table shows: the doc's own words, else the schema's default, else `–`. */
function shownDefault(name: Name): string {
  const { schema, doc } = SETTINGS[name]
  if (doc.shown !== undefined) return doc.shown
  const parsed = schema.safeParse(undefined)
  if (!parsed.success || parsed.data === undefined) return '–'
  return `\`${String(parsed.data)}\``
}

/** A Markdown table of one group's settings, in the order env.ts lists them. */
export function settingsTable(group: SettingGroup): string {
  const rows = names(group).map(
    (name) =>
      `| \`${name}\` | ${shownDefault(name)} | ${SETTINGS[name].doc.text.replaceAll('|', '\\|')} |`,
  )
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n')
}

const GROUPS: readonly SettingGroup[] = ['you set', 'tuning', 'hook']

/**
 * Replaces what stands between each `<!-- settings: GROUP -->` and `<!-- /settings -->`
 * with that group's table. Fails when a file has none of them, so a moved marker is seen.
 */
export function withSettingsTables(markdown: string): string {
  let found = 0
  const out = markdown.replace(
    // What stands between the markers may be empty (a table not yet written).
    /(<!-- settings: ([a-z ]+) -->\n)[\s\S]*?(<!-- \/settings -->)/g,
    (_, open: string, group: string, close: string) => {
      if (!GROUPS.includes(group as SettingGroup))
        throw new Error(`unknown settings group ${group}`)
      found += 1
      return `${open}${settingsTable(group as SettingGroup)}\n${close}`
    },
  )
  if (found === 0) throw new Error('no <!-- settings: GROUP --> marker')
  return out
}

/** `.env.example`: every setting an operator sets, with its default or commented out. */
export function envExample(): string {
  const lines = [
    '# inkflow: the settings you set for a deployment (docs/deploy.md). Copy to .env and run',
    '#   node --env-file=.env dist/main.js',
    '# Every other setting has a default that suits most deployments: README.md, Settings.',
    '# Generated from apps/api/src/env.ts by `pnpm settings:docs`.',
  ]
  for (const name of names('you set')) {
    const { schema, doc } = SETTINGS[name]
    const parsed = schema.safeParse(undefined)
    const value = parsed.success && parsed.data !== undefined ? String(parsed.data) : undefined
    lines.push('', `# ${doc.text.replaceAll('`', '')}`)
    lines.push(value === undefined ? `# ${name}=` : `${name}=${value}`)
  }
  return `${lines.join('\n')}\n`
}
