/*
 * The demo model writes only English. Asked for another language, it says so in the
 * article's opening line, naming the language the prompt's data line tagged.
 */

/** The English name of a language tag ("French"); the tag itself when it has none. */
function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(tag) ?? tag
  } catch {
    return tag
  }
}

/**
 * The opening line of an article asked for in another language than English: the demo model
 * writes only English, and says so where a reader looks first.
 */
export function demoLanguageNote(language: string | undefined): string | undefined {
  if (!language || language === 'en' || language.startsWith('en-')) return undefined
  return `(The demo model writes only English; this article was asked for in ${languageName(language)}.)`
}
