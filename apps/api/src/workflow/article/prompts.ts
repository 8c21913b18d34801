import type { JobOptions, Length, Tone } from '@inkflow/shared'
import type { ChatMessage } from '../../llm/llm.js'
import type { Outline } from './article-state.js'

/**
 * Words asked of each section: the length option sets the article's real length, since the
 * style pass keeps what the sections say.
 */
export const SECTION_WORDS: Record<Length, number> = { short: 60, medium: 130, long: 260 }

/** How the style pass is asked to sound. */
const TONE_STYLE: Record<Tone, string> = {
  conversational: 'a warm, conversational tone',
  professional: 'a clear, professional tone',
  playful: 'a light, playful tone',
}

/** The prompts carry user text: one line each, so it cannot forge a line of its own. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim()

/**
 * The system message of every step. The audience is said in a line of its own
 * (`Write for this audience: …`), which the offline demo model reads back (`llm/demo.ts`).
 */
function writer(options: JobOptions): ChatMessage {
  const audience = oneLine(options.audience)
  const lines = ['You are a skilled writer of clear, accurate, engaging articles.']
  lines.push(audience ? `Write for this audience: ${audience}` : 'Write for a general audience.')
  return { role: 'system', content: lines.join('\n') }
}

export function outlinePrompt(topic: string, options: JobOptions): ChatMessage[] {
  return [
    writer(options),
    {
      role: 'user',
      content: [
        `Plan an article about: ${oneLine(topic)}`,
        'Answer with YAML only, no prose and no code fence, in exactly this shape:',
        'title: <the article title>',
        'sections:',
        '  - <section title>',
        'Use 3 to 6 sections.',
      ].join('\n'),
    },
  ]
}

export function sectionPrompt(
  topic: string,
  outline: Outline,
  index: number,
  options: JobOptions,
): ChatMessage[] {
  const plan = outline.sections.map(
    (s, i) => `${i + 1}. ${s}${i === index ? '  <- write this one' : ''}`,
  )
  return [
    writer(options),
    {
      role: 'user',
      content: [
        `Article: "${outline.title}" (about ${oneLine(topic)}).`,
        'Sections:',
        ...plan,
        '',
        `Write only the body of section ${index + 1}, "${outline.sections[index]}", in about`,
        `${SECTION_WORDS[options.length]} words of plain prose: no heading, no lists.`,
      ].join('\n'),
    },
  ]
}

export function stylePrompt(draft: string, options: JobOptions): ChatMessage[] {
  return [
    writer(options),
    {
      role: 'user',
      content: [
        `Rewrite this draft in ${TONE_STYLE[options.tone]}. Keep every fact and about the same`,
        'length, the title as a "# " heading and each section as a "## " heading with the same',
        'titles. Answer with the Markdown article only.',
        '',
        draft,
      ].join('\n'),
    },
  ]
}

/** Asks the model to go on from `written`, its own words so far, without repeating them. */
export function continuePrompt(messages: ChatMessage[], written: string): ChatMessage[] {
  return [
    ...messages,
    { role: 'assistant', content: written },
    {
      role: 'user',
      content:
        'Your answer above was cut off. Continue it from exactly where it stops, mid-word if ' +
        'need be: do not repeat any of it, do not start over, add no preamble.',
    },
  ]
}
