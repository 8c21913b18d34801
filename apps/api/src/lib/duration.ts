const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const

/**
 * Reads a duration written for people: `7d`, `12h`, `30m`, `45s`, `250ms`, or a bare number
 * of milliseconds. Returns undefined for anything else (a unit it does not know, a sign, a
 * fraction), so a settings parser can name the variable instead of guessing.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,15})\s*(ms|s|m|h|d)?$/.exec(text.trim())
  if (!match) return undefined
  const ms = Number(match[1]) * UNIT_MS[(match[2] ?? 'ms') as keyof typeof UNIT_MS]
  return Number.isSafeInteger(ms) ? ms : undefined
}
