/** Scripts written right to left (ISO 15924 codes, lower case). */
const RTL_SCRIPTS = new Set([
  'arab',
  'hebr',
  'thaa',
  'syrc',
  'nkoo',
  'adlm',
  'rohg',
  'mand',
  'samr',
])

/**
 * Languages written right to left, for engines without `Intl.Locale#maximize` (which names a
 * language's likely script): Arabic, Hebrew, Persian, Urdu, Pashto, Sindhi, Yiddish, Dhivehi,
 * Central Kurdish, Uyghur, Syriac, N'Ko.
 */
const RTL_LANGUAGES = new Set([
  'ar',
  'he',
  'iw',
  'fa',
  'ur',
  'ps',
  'sd',
  'yi',
  'dv',
  'ckb',
  'ug',
  'syr',
  'nqo',
])

/**
 * The writing direction of a BCP 47 tag: `rtl` when its script is written right to left (the
 * script the tag names, `az-Arab`, else the language's likely one, `fa` → Arabic), else `ltr`.
 * The script decides, not `Intl.Locale`'s text info: ICU answers `ltr` for tags it has no
 * data for (`az-Arab`, `dv`). A tag that is not one is `ltr`.
 */
export function textDirection(tag: string): 'ltr' | 'rtl' {
  let locale: Intl.Locale
  try {
    locale = new Intl.Locale(tag)
  } catch {
    return 'ltr'
  }
  const script = locale.script ?? locale.maximize?.().script
  if (script) return RTL_SCRIPTS.has(script.toLowerCase()) ? 'rtl' : 'ltr'
  return listedDirection(locale.language)
}

/** The direction the language list gives: the fallback where no script is known. */
export function listedDirection(language: string): 'ltr' | 'rtl' {
  return RTL_LANGUAGES.has(language.toLowerCase()) ? 'rtl' : 'ltr'
}
