import type { LlmRequest, LlmTask } from '../../src/llm/llm.js'

/** A model call as a test records it: its task, and for a section its place and title. */
export interface ModelCall {
  task: LlmTask
  index?: number
  title?: string
}

/** Reads what a call asked for from its prompt's data line (`workflow/article/prompts.ts`). */
export function modelCall(request: LlmRequest): ModelCall {
  const task = request.messages.find((m) => m.role === 'user')?.content ?? ''
  const line = /^Request data \(JSON\): (\{.*\})$/m.exec(task)?.[1]
  const data = (line ? JSON.parse(line) : {}) as { section?: number; sections?: string[] }
  if (request.task !== 'section' || data.section === undefined) return { task: request.task }
  const index = data.section - 1
  return { task: request.task, index, title: data.sections?.[index] }
}
