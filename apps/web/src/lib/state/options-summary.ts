import type { JobOptions } from '@inkflow/shared'
import { languageName } from './languages.js'

const LENGTH = { short: 'short', medium: 'medium length', long: 'long' } as const

/**
 * The options an article was written with, in words for its page: "Playful · short ·
 * English · for beginners · outline reviewed". Empty before the options are known.
 */
export function optionsSummary(options: JobOptions | null): string {
  if (!options) return ''
  const tone = options.tone.charAt(0).toUpperCase() + options.tone.slice(1)
  const parts = [tone, LENGTH[options.length], languageName(options.language)]
  const audience = options.audience.trim()
  if (audience) parts.push(`for ${audience}`)
  if (options.reviewOutline) parts.push('outline reviewed')
  return parts.join(' · ')
}
