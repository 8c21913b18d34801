/**
 * The demo model's writing: deterministic, topic-aware prose assembled from templates.
 * The same topic always yields the same article, so demos and tests are reproducible.
 */

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

/** Sentences that fit any section, so no paragraph repeats another. */
const GENERAL = [
  'None of this requires special talent, only attention.',
  'The details of {t} reward anyone willing to look closely.',
  'It helps to remember that everyone who is good at {t} was once a beginner.',
  'Conversations about {t} are more useful when they start from real examples.',
  'A little curiosity about {t} goes a surprisingly long way.',
  'There is no single right way to do {t}, but there are plenty of wrong ones.',
  'Good sources on {t} explain their reasoning, not just their conclusions.',
  'The trade-offs in {t} become obvious once you have made a few of them yourself.',
] as const

const CONNECTORS = [
  'In practice,',
  'Put simply,',
  'Just as important,',
  'Over time,',
  'Still,',
  'Of course,',
]
const TITLES = ['{T}: A Practical Guide', 'Understanding {T}', 'The Case for {T}', '{T}, Explained']
const CHATTY = [
  'Here’s the thing:',
  'Honestly,',
  'You might be surprised, but',
  'Let’s be real:',
  'Think about it:',
]

const fill = (template: string, topic: string): string =>
  template
    .replaceAll('{t}', topic)
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

/** Two or three paragraphs for one section, matched to its title when it is one of ours. */
export function demoSection(topic: string, title: string): string {
  const random = createRandom(`section:${topic}:${title}`)
  const kind =
    SECTION_KINDS.find((k) => fill(k.title, topic) === title) ?? pick(random, SECTION_KINDS)
  // Each sentence is used once: the section's own first, then general ones.
  const own = shuffle(random, kind.sentences)
  const general = shuffle(random, GENERAL)
  const paragraphs = [own.slice(0, 3), [...own.slice(3), general[0]!]]
  if (random() < 0.6) paragraphs.push(general.slice(1, 4))
  return paragraphs
    .map((sentences) =>
      sentences
        .map((s, i) =>
          i === 1 ? `${pick(random, CONNECTORS)} ${lowerFirst(fill(s, topic))}` : fill(s, topic),
        )
        .join(' '),
    )
    .join('\n\n')
}

/** The draft, rewritten in a conversational tone, as Markdown with `#`/`##` headings. */
export function demoStyle(topic: string, title: string, draft: string): string {
  const random = createRandom(`style:${topic}`)
  const sections = parseDraft(draft)
  const body = sections.map(({ heading, paragraphs }) => {
    const text = paragraphs.map((p, i) =>
      i === 0 ? `${pick(random, CHATTY)} ${lowerFirst(p)}` : p,
    )
    return `## ${heading}\n\n${text.join('\n\n')}`
  })
  const intro = `If you have ever wondered about ${topic}, you are in good company. Let’s walk through it together.`
  return `# ${title}\n\n${intro}\n\n${body.join('\n\n')}\n`
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
