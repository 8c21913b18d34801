/** What the stub answers when a test does not script a reply: a plausible article writer. */

interface Message {
  role: string
  content: string
}

/** What inkflow's prompts carry as data: one JSON line after `Request data (JSON): `. */
interface RequestData {
  topic?: string
  sections?: string[]
  section?: number
  draft?: string
  /** A revision's: the section's text now, and how to rewrite it. */
  current?: string
  instruction?: string
}

function requestData(prompt: string): RequestData {
  const line = /^Request data \(JSON\): (\{.*\})$/m.exec(prompt)?.[1]
  if (line === undefined) return {}
  try {
    return JSON.parse(line) as RequestData
  } catch {
    return {}
  }
}

/**
 * Answers inkflow's prompts (outline, section, style, revision) in the shape each asks for, so a job can finish. Asked to
 * carry on from its own cut-off words (an assistant message, then a request to continue),
 * it answers the rest of what it would have written, as a model given a prefill does.
 */
export function defaultReply(messages: Message[]): string {
  const prefill = messages.findLastIndex((m) => m.role === 'assistant')
  if (prefill > 0) {
    const written = messages[prefill]!.content
    const whole = defaultReply(messages.slice(0, prefill))
    return whole.startsWith(written) ? whole.slice(written.length) : whole
  }
  const prompt = messages.at(-1)?.content ?? ''
  const data = requestData(prompt)
  if (prompt.includes('YAML')) {
    const topic = data.topic?.trim() || 'the topic'
    return `title: ${JSON.stringify(`All about ${topic}`)}\nsections:\n  - "Origins"\n  - "How it works"\n  - "Why it matters"\n`
  }
  if (prompt.startsWith('Rewrite this draft')) {
    return (data.draft ?? '').replace(/\n\n(?!#)/, '\n\nSo, here is the friendly version. ')
  }
  if (data.instruction !== undefined) {
    return `The stub model rewrote this section as asked. It keeps one sentence of what was there.\n\n${(data.current ?? '').split('. ')[0]}.`
  }
  const section = data.sections?.[(data.section ?? 0) - 1] ?? 'this part'
  return `This is the stub model writing about ${section}. It streams a few short sentences.\n\nA second paragraph follows, so the text has some shape.`
}
