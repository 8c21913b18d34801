import { defaultReply, type ReplyScript } from '@inkflow/llm-stub'

/** Topics that steer the scripted model into a state a test wants to look at. */
export const TOPICS = {
  /** Stops sending in the middle of the second section: a job left mid-writing. */
  writing: 'Hang while writing',
  /** Stops in the middle of the style pass's second section: a job left mid-polish. */
  polishing: 'Hang while polishing',
  /** Its model rejects the key: a job that fails at once. */
  failing: 'Fail at once',
} as const

const tokenize = (text: string): string[] => text.match(/\s*\S+/g) ?? []

/**
 * The LLM stub's default writer, except for the topics above: every prompt names the topic
 * (the outline's title is "All about <topic>"), so each call can tell which job it is for.
 */
export const scriptedModel: ReplyScript = ({ body }) => {
  const prompt = body.messages.at(-1)?.content ?? ''
  const text = defaultReply(body.messages)
  if (prompt.includes(TOPICS.failing)) return { status: 401 }
  if (prompt.includes(TOPICS.writing) && prompt.includes('section 2,'))
    return { text, hangAfterTokens: 8 }
  if (prompt.includes(TOPICS.polishing) && prompt.startsWith('Rewrite this draft')) {
    const second = text.indexOf('## How it works')
    return { text, hangAfterTokens: tokenize(text.slice(0, second)).length + 8 }
  }
  return { text }
}
