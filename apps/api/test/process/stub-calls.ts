import type { StubRequest } from '@inkflow/llm-stub'

/** What one chat-completions request was for, read from inkflow's prompts. */
export type StubCall =
  | { kind: 'outline'; request: StubRequest }
  | { kind: 'section'; index: number; request: StubRequest }
  | { kind: 'style'; request: StubRequest }

/** The task's prompt: the first user message (a continuation adds the model's words and a nudge). */
const promptOf = (request: StubRequest) =>
  request.body.messages.find((m) => m.role === 'user')?.content ?? ''

/** The model calls the stub received for one topic, in order. */
export function callsFor(requests: readonly StubRequest[], topic: string): StubCall[] {
  const calls: StubCall[] = []
  for (const request of requests) {
    const prompt = promptOf(request)
    if (prompt.includes('YAML') && prompt.includes(`about: ${topic}`)) {
      calls.push({ kind: 'outline', request })
    } else if (prompt.includes(`(about ${topic})`)) {
      const section = /^(\d+)\. .*<- write this one$/m.exec(prompt)
      if (section) calls.push({ kind: 'section', index: Number(section[1]) - 1, request })
    } else if (prompt.startsWith('Rewrite this draft') && prompt.includes(topic)) {
      calls.push({ kind: 'style', request })
    }
  }
  return calls
}

/** How many calls of `kind` (and section `index`) there were. */
export const countCalls = (calls: StubCall[], kind: StubCall['kind'], index?: number) =>
  calls.filter(
    (c) => c.kind === kind && (index === undefined || ('index' in c && c.index === index)),
  ).length
