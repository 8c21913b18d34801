/** What the stub answers when a test does not script a reply: a plausible article writer. */
import { isOutline, isRevision, isStyle, requestData } from './inkflow-prompts.js'

interface Message {
  role: string
  content: string
}

/**
 * Answers inkflow's prompts (outline, section, style, revision) in the shape each asks for,
 * so a job can finish. Asked to carry on from its own cut-off words (an assistant message, then a request to continue),
 * it answers the rest of what it would have written, as a model given a prefill does.
 */
export function defaultReply(messages: Message[]): string {
  const prefill = messages.findLastIndex((m) => m.role === 'assistant')
  if (prefill > 0) {
    const written = messages[prefill]!.content
    const whole = defaultReply(messages.slice(0, prefill))
    return whole.startsWith(written) ? whole.slice(written.length) : whole
  }
  const asked = { body: { messages } }
  const data = requestData(asked)
  if (isOutline(asked)) {
    const topic = data.topic?.trim() || 'the topic'
    return `title: ${JSON.stringify(`All about ${topic}`)}\nsections:\n  - "Origins"\n  - "How it works"\n  - "Why it matters"\n`
  }
  if (isStyle(asked)) {
    return (data.draft ?? '').replace(/\n\n(?!#)/, '\n\nSo, here is the friendly version. ')
  }
  if (isRevision(asked)) {
    return `The stub model rewrote this section as asked. It keeps one sentence of what was there.\n\n${(data.current ?? '').split('. ')[0]}.`
  }
  const section = data.sections?.[(data.section ?? 0) - 1] ?? 'this part'
  return `This is the stub model writing about ${section}. It streams a few short sentences.\n\nA second paragraph follows, so the text has some shape.`
}
