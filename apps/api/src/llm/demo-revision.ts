import { createRandom } from './demo-text.js'

/*
 * The demo model's rewrite of one section (`revise`): deterministic, and shaped by the words
 * of the owner's instruction a real model would heed most — shorter, longer, an example —
 * so a demo revision reads as the revision asked for.
 */

const SHORTER = /\b(short|shorter|brief|briefer|concise|tight|tighter|trim|cut|condense|less)\b/i
const LONGER = /\b(long|longer|expand|elaborate|detail|details|deeper|more)\b/i
const EXAMPLE = /\b(example|examples|instance|illustrate|illustration|case)\b/i

const sentencesOf = (paragraph: string): string[] =>
  paragraph.split(/(?<=[.!?])\s+/).filter((s) => s.trim() !== '')

/** What an example is to be about: the words after "about" / "of" / "from" in the instruction. */
function exampleSubject(instruction: string): string | undefined {
  const about = /\b(?:about|of|from|with)\s+([^,.;!?]{2,60})/i.exec(instruction)?.[1]?.trim()
  return about && !EXAMPLE.test(about) && !/^(one|an?|the)$/i.test(about) ? about : undefined
}

const EXAMPLES = [
  (t: string) =>
    `For example, picture someone trying ${t} for the first time: one small, concrete change makes the difference visible within a week.`,
  (t: string) =>
    `Take one example: a team that wrote down a single rule of thumb about ${t} and then kept to it found that most of their questions answered themselves.`,
]

const EXTRA = [
  'It helps to come back to this point after a while and notice what has changed.',
  'The details matter less than the habit of paying attention to them.',
  'None of this needs special equipment, only a little patience and a willingness to look closely.',
]

/** Section `current` rewritten as `instruction` asks, about `topic` (as it reads in a sentence). */
export function demoRevision(topic: string, current: string, instruction: string): string {
  const random = createRandom(`revise:${topic}:${instruction}`)
  const paragraphs = current
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
  const sentences = paragraphs.flatMap(sentencesOf)
  let body: string[]
  if (SHORTER.test(instruction)) {
    body = [sentences.slice(0, Math.max(1, Math.min(2, sentences.length - 1))).join(' ')]
  } else if (LONGER.test(instruction)) {
    body = [...paragraphs, EXTRA.join(' ')]
  } else {
    // Said again in another order: each paragraph opens with its last sentence.
    body = paragraphs.map((p) => {
      const s = sentencesOf(p)
      return [...s.slice(-1), ...s.slice(0, -1)].join(' ')
    })
  }
  if (EXAMPLE.test(instruction)) {
    const subject = exampleSubject(instruction)
    const example = subject
      ? `For example, think of ${subject}: it shows in one place what the paragraph above describes in general.`
      : EXAMPLES[Math.floor(random() * EXAMPLES.length)]!(topic)
    body[body.length - 1] = `${body.at(-1) ?? ''} ${example}`.trim()
  }
  return body.join('\n\n')
}
