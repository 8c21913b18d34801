// Keeping the store URL's password out of what inkflow shows: a URL named in a message is
// redacted before it is written (redactUrl); every log line is redacted on its way out, for
// the places that carry the password without naming the URL (createRedactingDestination).

/**
 * The forms a secret takes in a log line: as it is, URL-encoded (a password inside a URL),
 * and JSON-escaped (inside a string of a JSON log line).
 */
function formsOf(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])
  return [...forms].filter((form) => form.length > 0)
}

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

/**
 * The password of a `redis://user:password@host` URL, if any: as written (the URL parser
 * re-encodes some characters, so also as it parsed it) and decoded.
 */
export function urlSecrets(url: string): string[] {
  const written = /^[a-z][a-z0-9+.-]*:\/\/[^:@/]*:([^@/]*)@/i.exec(url)?.[1]
  const secrets = written ? [written] : []
  try {
    const { password } = new URL(url)
    if (password) secrets.push(password, decodeURIComponent(password))
  } catch {
    // Not a URL the parser reads: what was written is all there is.
  }
  return [...new Set(secrets)]
}

/**
 * A log destination that writes each line to `out` with every form of every secret replaced
 * by `***`: whatever logs an error — ioredis's (whose failed AUTH carries its arguments), a
 * start-up failure, an option object — the password never reaches the log. Lines are few
 * (requests, state changes), so replacing costs nothing that matters.
 */
export function createRedactingDestination(
  secrets: readonly string[],
  out: { write(chunk: string): unknown },
) {
  const forms = [...new Set(secrets.flatMap(formsOf))].sort((a, b) => b.length - a.length)
  return {
    write(line: string): void {
      let safe = line
      for (const form of forms) safe = safe.replaceAll(form, '***')
      out.write(safe)
    },
  }
}
