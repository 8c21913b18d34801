import type { StubRequest } from '@inkflow/llm-stub'

/** Whether a request's user message (inkflow's instructions) says `text`. */
export const asks = (r: StubRequest, text: string) =>
  r.body.messages.some((m) => m.role === 'user' && m.content.includes(text))

/** The outline step's request: the only one that asks for YAML. */
export const isOutline = (r: StubRequest) => asks(r, 'YAML')
/** A section's request, any section. */
export const isSection = (r: StubRequest) => asks(r, 'Write only the body of section')
/** The first section's request. */
export const isFirstSection = (r: StubRequest) => asks(r, 'Write only the body of section 1,')
/** The style pass's request. */
export const isStyle = (r: StubRequest) => asks(r, 'Rewrite this draft')
/** A revision's request (the `revise` step). */
export const isRevise = (r: StubRequest) => asks(r, 'Rewrite only the body of that section')
