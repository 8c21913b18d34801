/**
 * A URL as it may be shown in an error or a log line: its password replaced by `***`. Store
 * URLs carry credentials (`redis://user:password@host`); a message that names the URL must
 * not carry them on. Text that does not parse as a URL has anything between `//` and `@`
 * after its first `:` masked the same way.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password === '') return url
    parsed.password = '***'
    return parsed.toString()
  } catch {
    return url.replace(/\/\/([^/@:]*):[^@]*@/, '//$1:***@')
  }
}
