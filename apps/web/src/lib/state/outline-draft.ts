import {
  ARTICLE_TITLE_MAX_LENGTH,
  OUTLINE_MAX_SECTIONS,
  OUTLINE_MIN_SECTIONS,
  type Outline,
  type OutlineApproval,
  SECTION_TITLE_MAX_LENGTH,
} from '@inkflow/shared'

/*
 * The rules of the outline editor, as plain functions over an immutable draft: the component
 * only shows a draft and swaps it for the next one. The limits are the API's
 * (`PUT /api/jobs/{id}/outline`): a title of 1–200 characters and 3–6 sections of 1–120,
 * each counted after trimming, as the server counts them.
 */

export interface DraftSection {
  /** Stable across moves, so the list is keyed by it (and focus can follow a section). */
  key: number
  title: string
}

export interface OutlineDraft {
  title: string
  sections: readonly DraftSection[]
  /** The key the next added section gets. */
  nextKey: number
}

/** Why a control is off at a limit, said next to it. */
export const LIMIT_REASONS = {
  add: `An outline has at most ${OUTLINE_MAX_SECTIONS} sections: remove one to add another.`,
  remove: `An outline needs at least ${OUTLINE_MIN_SECTIONS} sections: add one to remove another.`,
} as const

/** A draft of the proposed outline, as the model wrote it. */
export function createDraft(outline: Outline): OutlineDraft {
  const sections = outline.sections.map((title, key) => ({ key, title }))
  return { title: outline.title, sections, nextKey: sections.length }
}

export const canAdd = (draft: OutlineDraft) => draft.sections.length < OUTLINE_MAX_SECTIONS
export const canRemove = (draft: OutlineDraft) => draft.sections.length > OUTLINE_MIN_SECTIONS
export const canMove = (draft: OutlineDraft, index: number, delta: -1 | 1) =>
  index >= 0 && index < draft.sections.length && inRange(draft, index + delta)

const inRange = (draft: OutlineDraft, index: number) => index >= 0 && index < draft.sections.length

export function setTitle(draft: OutlineDraft, title: string): OutlineDraft {
  return { ...draft, title }
}

export function renameSection(draft: OutlineDraft, index: number, title: string): OutlineDraft {
  if (!inRange(draft, index)) return draft
  return { ...draft, sections: draft.sections.map((s, i) => (i === index ? { ...s, title } : s)) }
}

/** Appends a section (empty unless `title` is given); at the limit, the draft as it was. */
export function addSection(draft: OutlineDraft, title = ''): OutlineDraft {
  if (!canAdd(draft)) return draft
  const sections = [...draft.sections, { key: draft.nextKey, title }]
  return { ...draft, sections, nextKey: draft.nextKey + 1 }
}

/** Removes the section at `index`; at the limit, the draft as it was. */
export function removeSection(draft: OutlineDraft, index: number): OutlineDraft {
  if (!canRemove(draft) || !inRange(draft, index)) return draft
  return { ...draft, sections: draft.sections.filter((_, i) => i !== index) }
}

/** Swaps the section at `index` with its neighbour above (-1) or below (1). */
export function moveSection(draft: OutlineDraft, index: number, delta: -1 | 1): OutlineDraft {
  if (!canMove(draft, index, delta)) return draft
  const sections = [...draft.sections]
  const [moved] = sections.splice(index, 1)
  sections.splice(index + delta, 0, moved as DraftSection)
  return { ...draft, sections }
}

/** What is wrong with a draft, field by field; `sections` is keyed by the section's index. */
export interface DraftErrors {
  title?: string
  sections: Record<number, string>
  count?: string
}

const tooLong = (text: string, max: number) => text.trim().length > max

/** The draft's problems, or null when the API will take it. */
export function draftErrors(draft: OutlineDraft): DraftErrors | null {
  const errors: DraftErrors = { sections: {} }
  let found = false
  if (draft.title.trim() === '') errors.title = 'The article needs a title.'
  else if (tooLong(draft.title, ARTICLE_TITLE_MAX_LENGTH))
    errors.title = `The title is longer than ${ARTICLE_TITLE_MAX_LENGTH} characters.`
  for (const [index, s] of draft.sections.entries()) {
    const n = index + 1
    if (s.title.trim() === '') errors.sections[index] = `Section ${n} needs a title.`
    else if (tooLong(s.title, SECTION_TITLE_MAX_LENGTH))
      errors.sections[index] = `Section ${n} is longer than ${SECTION_TITLE_MAX_LENGTH} characters.`
    else continue
    found = true
  }
  const count = draft.sections.length
  if (count < OUTLINE_MIN_SECTIONS || count > OUTLINE_MAX_SECTIONS)
    errors.count = `An outline has ${OUTLINE_MIN_SECTIONS} to ${OUTLINE_MAX_SECTIONS} sections.`
  found ||= errors.title !== undefined || errors.count !== undefined
  return found ? errors : null
}

/** The body of `PUT …/outline` for a valid draft, every text trimmed; null for an invalid one. */
export function toApproval(draft: OutlineDraft): OutlineApproval | null {
  if (draftErrors(draft)) return null
  return { title: draft.title.trim(), sections: draft.sections.map((s) => s.title.trim()) }
}

/** Whether a draft says what `outline` says (its keys aside): edits made, or none left. */
export function sameOutline(draft: OutlineDraft, outline: Outline): boolean {
  return (
    draft.title === outline.title &&
    draft.sections.length === outline.sections.length &&
    draft.sections.every((s, i) => s.title === outline.sections[i])
  )
}
