import type { ChatMessage } from '../../llm/llm.js'
import type { Outline } from './article-state.js'

const WRITER =
  'You are a skilled writer of clear, accurate, engaging articles for a general audience.'

export function outlinePrompt(topic: string): ChatMessage[] {
  return [
    { role: 'system', content: WRITER },
    {
      role: 'user',
      content: [
        `Plan an article about: ${topic}`,
        'Answer with YAML only, no prose and no code fence, in exactly this shape:',
        'title: <the article title>',
        'sections:',
        '  - <section title>',
        'Use 3 to 6 sections.',
      ].join('\n'),
    },
  ]
}

export function sectionPrompt(topic: string, outline: Outline, index: number): ChatMessage[] {
  const plan = outline.sections.map(
    (s, i) => `${i + 1}. ${s}${i === index ? '  <- write this one' : ''}`,
  )
  return [
    { role: 'system', content: WRITER },
    {
      role: 'user',
      content: [
        `Article: "${outline.title}" (about ${topic}).`,
        'Sections:',
        ...plan,
        '',
        `Write only the body of section ${index + 1}, "${outline.sections[index]}": two or three`,
        'short paragraphs of plain prose, no heading, no lists.',
      ].join('\n'),
    },
  ]
}

export function stylePrompt(draft: string): ChatMessage[] {
  return [
    { role: 'system', content: WRITER },
    {
      role: 'user',
      content: [
        'Rewrite this draft in a warm, conversational tone. Keep every fact, the title as a',
        '"# " heading and each section as a "## " heading with the same titles. Answer with',
        'the Markdown article only.',
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
