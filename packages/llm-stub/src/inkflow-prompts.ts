import type { StubRequest } from './reply.js'

/**
 * What inkflow asked for, read from a request's prompt: scripts use it to answer each of its
 * prompts (the outline, a section, the style pass, a revision) in their own way.
 */
type Asked = Pick<StubRequest, 'body'>

/**
 * The task's prompt: the first user message. A request to carry on from cut-off words adds
 * the model's words and a nudge after it, so this still says which task it is.
 */
export const promptOf = (request: Asked): string =>
  request.body.messages.find((m) => m.role === 'user')?.content ?? ''

/** The model's own words a request asks it to carry on from, if it is such a request. */
export const prefillOf = (request: Asked): string | undefined =>
  request.body.messages.find((m) => m.role === 'assistant')?.content

/** The outline's request: the only one that asks for YAML. */
export const isOutline = (request: Asked) => promptOf(request).includes('YAML')

/** The style pass's request. */
export const isStyle = (request: Asked) => promptOf(request).startsWith('Rewrite this draft')

/** Which section a request writes, counted from 1; `undefined` for the outline and the style pass. */
export function sectionNumber(request: Asked): number | undefined {
  const match = /Write only the body of section (\d+),/.exec(promptOf(request))
  return match ? Number(match[1]) : undefined
}

/** A section's request, any section. */
export const isSection = (request: Asked) => sectionNumber(request) !== undefined

/** A revision's request: the only one whose data carries the owner's instruction. */
export const isRevision = (request: Asked) => requestData(request).instruction !== undefined

/** What inkflow's prompts carry as data: one JSON line after `Request data (JSON): `. */
export interface RequestData {
  topic?: string
  sections?: string[]
  section?: number
  draft?: string
  /** The article's language tag, which every prompt carries. */
  language?: string
  /** A revision's: the section's text now, and how to rewrite it. */
  current?: string
  instruction?: string
}

export function requestData(request: Asked): RequestData {
  const line = /^Request data \(JSON\): (\{.*\})$/m.exec(promptOf(request))?.[1]
  if (line === undefined) return {}
  try {
    return JSON.parse(line) as RequestData
  } catch {
    return {}
  }
}
