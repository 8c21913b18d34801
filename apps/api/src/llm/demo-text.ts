/**
 * The demo model's writing: deterministic, topic-aware prose assembled from templates.
 * The same topic always yields the same article, so demos and tests are reproducible.
 */

import { demoLanguageNote } from './demo-language.js'

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence. */
export function createRandom(seedText: string): () => number {
  let seed = 2166136261
  for (const ch of seedText) seed = Math.imul(seed ^ ch.codePointAt(0)!, 16777619)
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!

/** Fisher–Yates shuffle driven by the seeded PRNG. */
function shuffle<T>(random: () => number, items: readonly T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/** Section kinds, each with a title and sentences that fit it; `{t}` is the topic. */
const SECTION_KINDS = [
  {
    title: 'What {t} really is',
    sentences: [
      'At its core, {t} is simpler than its reputation suggests.',
      'Most people meet {t} long before they can put a name to it.',
      'A useful way to think about {t} is as a set of habits rather than a single thing.',
      'Definitions of {t} vary, but they share a few stubborn ideas.',
      'Strip away the jargon and {t} comes down to a handful of choices made well.',
    ],
  },
  {
    title: 'A short history of {t}',
    sentences: [
      'The story of {t} starts earlier than most accounts admit.',
      'For a long time {t} was the concern of a few enthusiasts, and then quite suddenly it was not.',
      'Each generation has reinvented {t} in its own image, keeping what worked.',
      'Some of the oldest ideas about {t} are still the most reliable ones.',
      'Looking back, the turning points of {t} were rarely dramatic at the time.',
    ],
  },
  {
    title: 'Why {t} matters',
    sentences: [
      'The reason {t} deserves attention is that small improvements compound.',
      'People who take {t} seriously tend to save time, money or frustration later.',
      'Ignoring {t} rarely causes a crisis; it quietly raises the cost of everything else.',
      '{T} shapes decisions that look unrelated at first glance.',
      'When {t} goes well, hardly anyone notices, and that is exactly the point.',
    ],
  },
  {
    title: 'Getting started with {t}',
    sentences: [
      'The best first step with {t} is a small one you can repeat tomorrow.',
      'Begin with the basics of {t} and resist the urge to buy every tool at once.',
      'A simple routine beats an ambitious plan when you are new to {t}.',
      'Write down what you try with {t}, because memory flatters us.',
      'Ask someone who has practised {t} for years what they wish they had known first.',
    ],
  },
  {
    title: 'Common mistakes with {t}',
    sentences: [
      'The most common mistake with {t} is doing too much too soon.',
      'Many beginners treat {t} as a checklist and miss the judgement it needs.',
      'Copying an expert’s approach to {t} without their context often backfires.',
      'Skipping the boring parts of {t} is tempting and almost always expensive.',
      'It is easy to measure the wrong thing when you are judging {t}.',
    ],
  },
  {
    title: 'How experts approach {t}',
    sentences: [
      'Experienced practitioners of {t} spend more time observing than acting.',
      'Experts in {t} keep their methods boring so that their results can be interesting.',
      'What separates a master of {t} is usually patience, not secret knowledge.',
      'The people best at {t} revisit their assumptions on a schedule.',
      'They treat every failure with {t} as data rather than as a verdict.',
    ],
  },
  {
    title: 'Where {t} is heading',
    sentences: [
      'The next few years will likely make {t} both easier to start and harder to master.',
      'New tools are changing {t}, but the underlying questions stay the same.',
      'Expect the conversation about {t} to move from novelty to craft.',
      'The future of {t} belongs to people who combine curiosity with discipline.',
      'Whatever changes, the fundamentals of {t} will keep paying off.',
    ],
  },
] as const

/**
 * Sentences that fit any section, in several shapes (statements, questions, asides, short
 * and long), so no paragraph repeats another. An article deals them out to its sections
 * without overlap (see `generalFor`), so two sections never share one.
 */
const GENERAL = [
  'None of this requires special talent, only attention.',
  'The details of {t} reward anyone willing to look closely.',
  'It helps to remember that everyone who is good at {t} was once a beginner.',
  'Conversations about {t} are more useful when they start from real examples.',
  'A little curiosity about {t} goes a surprisingly long way.',
  'There is no single right way to approach {t}, but there are plenty of wrong ones.',
  'Good sources on {t} explain their reasoning, not just their conclusions.',
  'The trade-offs in {t} become obvious once you have made a few of them yourself.',
  'Why does this matter so much? Because {t} touches more of daily life than it seems.',
  'Take one small example and follow it all the way through: {t} is clearer that way.',
  'That is the quiet lesson of {t}.',
  'Ask ten people about {t} and you will hear eleven opinions; the useful ones come with reasons.',
  'What changes with experience is not the rules of {t} but how quickly you see which one applies.',
  'Surprisingly little of it is written down.',
  'Is there a shortcut? Not really, though a good teacher of {t} makes the long way shorter.',
  'Much of {t} is learned by doing it badly first, and that is no bad thing.',
  'The vocabulary of {t} can put people off, yet the ideas underneath are plain.',
  'One honest question about {t} is worth a dozen confident answers.',
  'Here the difference between knowing about {t} and knowing {t} starts to show.',
  'Notice how often the same few ideas come back.',
  'Few subjects look so different from the inside as {t}.',
  'Start where you are; {t} meets people at every level.',
  'Could it be simpler? Sometimes, and the best practitioners of {t} keep asking.',
  'Patterns in {t} repeat, which is what makes them worth learning.',
] as const

/** More sentences, for the longer sections a `long` article asks for. */
const MORE = [
  'It pays to revisit the basics of {t} every so often, because they hide more than they show.',
  'Small experiments with {t} teach more than long debates about it.',
  'The best advice about {t} is usually the least glamorous.',
  'Progress with {t} tends to come in plateaus and sudden jumps rather than a straight line.',
  'A checklist helps with {t}, but only judgement tells you when to leave it.',
  'Sharing what you learn about {t} is one of the fastest ways to understand it better.',
  'Mistakes with {t} are cheapest when they are made early and noticed quickly.',
  'Patience with {t} is not passive: it means watching closely while waiting.',
  'Every expert in {t} keeps a few habits they would never give up.',
  'Most questions about {t} have an answer that starts with "it depends", and that is fine.',
] as const

const CONNECTORS = [
  'In practice,',
  'Put simply,',
  'Just as important,',
  'Over time,',
  'Still,',
  'Of course,',
]
const TITLES = ['{T}: a practical guide', 'Understanding {t}', 'The case for {t}', '{T}, explained']
/** How the style pass sounds in each tone: the openers of paragraphs and the article's intro. */
const VOICES = {
  conversational: {
    openers: [
      'Here’s the thing:',
      'Honestly,',
      'You might be surprised, but',
      'Let’s be real:',
      'Think about it:',
    ],
    intro: (t: string) =>
      `If you have ever wondered about ${topicInSentence(t)}, you are in good company. Let’s walk through it together.`,
  },
  professional: {
    openers: ['Notably,', 'In short,', 'Importantly,', 'To be precise,', 'As a rule,'],
    intro: (t: string) =>
      `This article sets out what matters about ${topicInSentence(t)}: the essentials, the trade-offs and the practical next steps.`,
  },
  playful: {
    openers: ['Plot twist:', 'Fun fact:', 'Spoiler alert:', 'Buckle up:', 'Drumroll, please:'],
    intro: (t: string) =>
      `Ready for a little adventure? Grab a snack, because ${topicInSentence(t)} is about to get fun!`,
  },
} as const

/** What the prompts ask of the demo's writing: words per section, the tone, the reader. */
export interface DemoVoice {
  /** Words asked of a section: ≤ 80 writes one paragraph, ≥ 200 adds paragraphs. */
  words?: number
  tone?: keyof typeof VOICES
  /** Who the article is for; named in each section and in the intro. */
  audience?: string
  /** The BCP 47 tag of the language asked for; the demo writes English and says so. */
  language?: string
}

/** Words that start a topic without naming anything: "The history of…", "How bees…". */
const OPENERS = new Set(['the', 'a', 'an', 'how', 'why', 'what', 'when', 'where', 'who'])
/** Short words a name may carry in lower case after its first capital ("Pride and Prejudice"). */
const LINKS = new Set(['and', 'of', 'the', 'in', 'on', 'for', 'to'])
/** Particles between a first name and a surname ("Leonardo da Vinci", "Ludwig van Beethoven"). */
const PARTICLES = new Set(['da', 'de', 'di', 'du', 'del', 'der', 'la', 'le', 'van', 'von'])

/**
 * The topic as it reads inside a sentence: "Tea ceremonies" becomes "tea ceremonies" and
 * "The history of the bicycle" "the history of the bicycle", while a name stays a name
 * ("Marie Curie", "New York": capitalised from its second word on, short links such as "da"
 * aside; "Bicycles in Amsterdam" is not one) and so does an acronym ("AI", "NASA")
 * or a word cased on purpose ("iPhone"). A single capitalised word reads as a common noun
 * ("Tea" → "tea"): without a dictionary, "Paris" becomes "paris" too — the price of a
 * deterministic, offline writer, and the rarer case among topics people type.
 */
export function topicInSentence(topic: string): string {
  const words = topic.trim().split(/\s+/)
  const first = words[0] ?? ''
  if (!/^\p{Lu}\p{Ll}*$/u.test(first.replace(/[’'-].*$/, ''))) return topic
  const lower = first.toLowerCase()
  // A name goes on capitalised at once, past a particle ("New York", "Leonardo da Vinci");
  // "Bicycles in Amsterdam" does not.
  const after = words.slice(1)
  while (PARTICLES.has(after[0] ?? '')) after.shift()
  const capital = (w: string) => /^\p{Lu}/u.test(w)
  const named =
    after.length > 0 &&
    capital(after[0] ?? '') &&
    after.every((w) => capital(w) || LINKS.has(w) || PARTICLES.has(w))
  if (named && !OPENERS.has(lower)) return topic
  return topic.charAt(0).toLowerCase() + topic.slice(1)
}

/** A sentence going on after a connector: its first word in lower case, a topic as in a sentence. */
const fillLower = (template: string, topic: string): string =>
  template.startsWith('{T}')
    ? fill(`{t}${template.slice(3)}`, topic)
    : lowerFirst(fill(template, topic))

const fill = (template: string, topic: string): string =>
  template
    .replaceAll('{t}', topicInSentence(topic))
    .replaceAll('{T}', topic.charAt(0).toUpperCase() + topic.slice(1))

/** Title and 4–5 section titles, in a stable order for the topic. */
export function demoOutline(topic: string): { title: string; sections: string[] } {
  const random = createRandom(`outline:${topic}`)
  const count = 4 + Math.floor(random() * 2)
  const kinds = shuffle(random, [...SECTION_KINDS.keys()])
    .slice(0, count)
    .sort((a, b) => a - b)
  return {
    title: fill(pick(random, TITLES), topic),
    sections: kinds.map((k) => fill(SECTION_KINDS[k]!.title, topic)),
  }
}

/**
 * One section, matched to its title when it is one of ours: two or three paragraphs; one for
 * a short article (`voice.words` ≤ 80), four or more for a long one (≥ 200).
 */
export function demoSection(
  topic: string,
  title: string,
  voice: DemoVoice = {},
  index = 0,
): string {
  const random = createRandom(`section:${topic}:${title}`)
  // A title of ours gets its own sentences; another (an edited outline) a kind by its place.
  const kind =
    SECTION_KINDS.find((k) => fill(k.title, topic) === title) ??
    SECTION_KINDS[(index + Math.floor(createRandom(`kind:${topic}`)() * 7)) % SECTION_KINDS.length]!
  // Each sentence is used once: the section's own first, then general ones.
  const own = shuffle(random, kind.sentences)
  const words = voice.words ?? 130
  const general = generalFor(topic, index, words <= 80 ? 1 : 4)
  let paragraphs: string[][]
  if (words <= 80) {
    paragraphs = [[...own.slice(0, 3), general[0]!]]
  } else {
    paragraphs = [own.slice(0, 3), [...own.slice(3), general[0]!]]
    if (random() < 0.6 || words >= 200) paragraphs.push(general.slice(1, 4))
    if (words >= 200) {
      const more = shuffle(random, MORE)
      paragraphs.push(more.slice(0, 4), more.slice(4, 8))
    }
  }
  const audience = voice.audience?.trim()
  return paragraphs
    .map((sentences, p) =>
      sentences
        .map((s, i) => {
          if (p === 0 && i === 0 && audience) return `For ${audience}, ${fillLower(s, topic)}`
          // A question takes no connector: "Still, is there a shortcut?" reads oddly.
          if (i === 1 && !s.includes('?'))
            return `${pick(random, CONNECTORS)} ${fillLower(s, topic)}`
          return fill(s, topic)
        })
        .join(' '),
    )
    .join('\n\n')
}

/**
 * The general sentences of the section at `index`: the article's own order of them (by
 * topic), dealt out `count` at a time, so sections one after another never share one (six
 * sections of four take all twenty-four).
 */
function generalFor(topic: string, index: number, count: number): string[] {
  const order = shuffle(createRandom(`general:${topic}`), GENERAL)
  return Array.from({ length: count }, (_, i) => order[(index * count + i) % order.length]!)
}

/** The draft, rewritten in the voice's tone (conversational unless told), as Markdown. */
export function demoStyle(
  topic: string,
  title: string,
  draft: string,
  voice: DemoVoice = {},
): string {
  const random = createRandom(`style:${topic}`)
  const tone = VOICES[voice.tone ?? 'conversational']
  const sections = parseDraft(draft)
  const body = sections.map(({ heading, paragraphs }) => {
    const capital = fill('{T}', topic)
    const text = paragraphs.map((p, i) => {
      if (i > 0) return p
      // A paragraph that opens with the topic keeps it as it reads inside a sentence.
      const rest = p.startsWith(capital)
        ? fill('{t}', topic) + p.slice(capital.length)
        : lowerFirst(p)
      return `${pick(random, tone.openers)} ${rest}`
    })
    return `## ${heading}\n\n${text.join('\n\n')}`
  })
  const audience = voice.audience?.trim()
  const intro = tone.intro(topic) + (audience ? ` It is written for ${audience}.` : '')
  const note = demoLanguageNote(voice.language)
  const opening = note ? `${note}\n\n${intro}` : intro
  return `# ${title}\n\n${opening}\n\n${body.join('\n\n')}\n`
}

function lowerFirst(s: string): string {
  // Leave acronyms ("AI is…") alone.
  return /^[A-Z](?![A-Z])/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s
}

function parseDraft(draft: string): { heading: string; paragraphs: string[] }[] {
  const sections: { heading: string; paragraphs: string[] }[] = []
  for (const block of draft.split(/\n{2,}/)) {
    const heading = /^##\s+(.*)$/.exec(block.trim())
    if (heading) sections.push({ heading: heading[1]!, paragraphs: [] })
    else if (block.trim() && !block.trim().startsWith('# '))
      sections.at(-1)?.paragraphs.push(block.trim())
  }
  return sections
}
