/** What the stub answers when a test does not script a reply: a plausible article writer. */

interface Message {
  role: string
  content: string
}

/** Answers inkflow's three prompts in the shape each asks for, so a job can finish. */
export function defaultReply(messages: Message[]): string {
  const prompt = messages.at(-1)?.content ?? ''
  if (prompt.includes('YAML')) {
    const topic = /about: (.*)/.exec(prompt)?.[1]?.trim() ?? 'the topic'
    return `title: "All about ${topic}"\nsections:\n  - "Origins"\n  - "How it works"\n  - "Why it matters"\n`
  }
  if (prompt.startsWith('Rewrite this draft')) {
    const draft = prompt.slice(prompt.indexOf('\n\n') + 2)
    return draft.replace(/\n\n(?!#)/, '\n\nSo, here is the friendly version. ')
  }
  const section = /section \d+, "([^"]*)"/.exec(prompt)?.[1] ?? 'this part'
  return `This is the stub model writing about ${section}. It streams a few short sentences.\n\nA second paragraph follows, so the text has some shape.`
}
