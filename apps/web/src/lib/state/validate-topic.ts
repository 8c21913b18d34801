import { TOPIC_MAX_LENGTH } from '@inkflow/shared'

/** The API's rule (trimmed, 1–max characters), checked before sending. Returns an error or null. */
export function topicError(topic: string, maxLength = TOPIC_MAX_LENGTH): string | null {
  const length = [...topic.trim()].length
  if (length === 0) return 'Please enter a topic.'
  if (length > maxLength) {
    return `That topic is ${length} characters long; please keep it to ${maxLength}.`
  }
  return null
}
