import { requestData } from '@inkflow/llm-stub'
import type { LlmRequest, LlmTask } from '../../src/llm/llm.js'

/** A model call as a test records it: its task, and for a section its place and title. */
export interface ModelCall {
  task: LlmTask
  index?: number
  title?: string
}

/** Reads what a call asked for from its prompt's data line (`workflow/article/prompts.ts`). */
export function modelCall(request: LlmRequest): ModelCall {
  const data = requestData({ body: { messages: request.messages } })
  if (request.task !== 'section' || data.section === undefined) return { task: request.task }
  const index = data.section - 1
  return { task: request.task, index, title: data.sections?.[index] }
}
