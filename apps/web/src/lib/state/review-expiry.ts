const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`

/**
 * How long an outline review has left, in words: "in 5 minutes", "in 23 hours", "in 6 days";
 * "any moment now" under a minute, and "expired" once past (the server then cancels the job).
 */
export function timeLeft(expiresAt: string, now: number = Date.now()): string {
  const left = Date.parse(expiresAt) - now
  if (Number.isNaN(left)) return ''
  if (left <= 0) return 'expired'
  if (left < MINUTE) return 'any moment now'
  if (left < 2 * HOUR) return `in ${plural(Math.floor(left / MINUTE), 'minute')}`
  if (left < 2 * DAY) return `in ${plural(Math.floor(left / HOUR), 'hour')}`
  return `in ${plural(Math.floor(left / DAY), 'day')}`
}

/** The moment a review ends, as this browser writes dates and times. */
export const expiryTime = (expiresAt: string): string =>
  new Date(expiresAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
