import {
  isOutline,
  isRevision,
  isStyle,
  promptOf,
  requestData,
  type StubRequest,
} from '@inkflow/llm-stub'

/** What one chat-completions request was for, read from inkflow's prompts. */
export type StubCall =
  | { kind: 'outline'; request: StubRequest }
  | { kind: 'section'; index: number; request: StubRequest }
  | { kind: 'style'; request: StubRequest }
  | { kind: 'revise'; index: number; request: StubRequest }

/** The model calls the stub received for one topic, in order. */
export function callsFor(requests: readonly StubRequest[], topic: string): StubCall[] {
  const calls: StubCall[] = []
  for (const request of requests) {
    const data = requestData(request)
    if (isRevision(request) && data.topic === topic && data.section !== undefined) {
      // A revision names its section (from 1) and carries the owner's instruction.
      calls.push({ kind: 'revise', index: data.section - 1, request })
    } else if (isOutline(request) && data.topic === topic) {
      calls.push({ kind: 'outline', request })
    } else if (data.topic === topic && typeof data.section === 'number') {
      calls.push({ kind: 'section', index: data.section - 1, request })
    } else if (isStyle(request) && promptOf(request).includes(topic)) {
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
