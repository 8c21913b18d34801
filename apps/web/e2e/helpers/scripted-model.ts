import { defaultReply, isStyle, promptOf, type ReplyScript, sectionNumber } from '@inkflow/llm-stub'

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
export const scriptedModel: ReplyScript = (request) => {
  const prompt = promptOf(request)
  const text = defaultReply(request.body.messages)
  if (prompt.includes(TOPICS.failing)) return { status: 401 }
  if (prompt.includes(TOPICS.writing) && sectionNumber(request) === 2)
    return { text, hangAfterTokens: 8 }
  if (prompt.includes(TOPICS.polishing) && isStyle(request)) {
    const second = text.indexOf('## How it works')
    return { text, hangAfterTokens: tokenize(text.slice(0, second)).length + 8 }
  }
  return { text }
}
