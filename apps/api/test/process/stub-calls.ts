import type { StubRequest } from '@inkflow/llm-stub'

/** What one chat-completions request was for, read from inkflow's prompts. */
export type StubCall =
  | { kind: 'outline'; request: StubRequest }
  | { kind: 'section'; index: number; request: StubRequest }
  | { kind: 'style'; request: StubRequest }
  | { kind: 'revise'; index: number; request: StubRequest }

/** The task's prompt: the first user message (a continuation adds the model's words and a nudge). */
const promptOf = (request: StubRequest) =>
  request.body.messages.find((m) => m.role === 'user')?.content ?? ''

/** The data line inkflow's prompts end with: what a person typed, fenced as one JSON object. */
function dataOf(prompt: string): { topic?: string; section?: number; instruction?: string } {
  const line = /^Request data \(JSON\): (\{.*\})$/m.exec(prompt)?.[1]
  return line ? (JSON.parse(line) as { topic?: string; section?: number }) : {}
}

/** The model calls the stub received for one topic, in order. */
export function callsFor(requests: readonly StubRequest[], topic: string): StubCall[] {
  const calls: StubCall[] = []
  for (const request of requests) {
    const prompt = promptOf(request)
    const data = dataOf(prompt)
    if (data.topic === topic && data.instruction !== undefined && data.section !== undefined) {
      // A revision names its section (from 1) and carries the owner's instruction.
      calls.push({ kind: 'revise', index: data.section - 1, request })
    } else if (prompt.includes('YAML') && data.topic === topic) {
      calls.push({ kind: 'outline', request })
    } else if (data.topic === topic && typeof data.section === 'number') {
      calls.push({ kind: 'section', index: data.section - 1, request })
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
