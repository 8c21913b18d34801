/**
 * The languages the start form offers by name, each in its own words (a reader looks for the
 * name they know). Any other BCP 47 tag can be typed in.
 */
export const LANGUAGES: readonly { tag: string; name: string }[] = [
  { tag: 'en', name: 'English' },
  { tag: 'fr', name: 'Français' },
  { tag: 'de', name: 'Deutsch' },
  { tag: 'es', name: 'Español' },
  { tag: 'pt-BR', name: 'Português (Brasil)' },
  { tag: 'it', name: 'Italiano' },
  { tag: 'ja', name: '日本語' },
  { tag: 'zh', name: '中文' },
  { tag: 'ar', name: 'العربية' },
  { tag: 'he', name: 'עברית' },
]

/**
 * A language's name for the page: its own name when the list has it, else the English name
 * `Intl` knows, with the tag ("Dutch (nl)"); the bare tag where `Intl` cannot name it.
 */
export function languageName(tag: string): string {
  const known = LANGUAGES.find((l) => l.tag.toLowerCase() === tag.toLowerCase())
  if (known) return known.name
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' }).of(tag)
    return name ? `${name} (${tag})` : tag
  } catch {
    return tag
  }
}
