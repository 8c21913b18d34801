import { DEFAULT_JOB_OPTIONS } from '@inkflow/shared'
import { describe, expect, it } from 'vitest'
import { createDemoClient } from '../../src/llm/demo.js'
import { demoOutline, demoSection, demoStyle, topicInSentence } from '../../src/llm/demo-text.js'
import type { ChatMessage } from '../../src/llm/llm.js'
import { parseOutline } from '../../src/workflow/article/outline-parser.js'
import { continuePrompt, outlinePrompt, sectionPrompt } from '../../src/workflow/article/prompts.js'

/** A call as the workflow makes it: the demo reads all it needs from the prompts. */
type DemoCall =
  | { task: 'outline'; topic: string }
  | {
      task: 'section'
      topic: string
      title: string
      index: number
      sectionCount: number
      continues?: string
    }

function messagesFor(call: DemoCall): ChatMessage[] {
  if (call.task === 'outline') return outlinePrompt(call.topic, DEFAULT_JOB_OPTIONS)
  const sections = Array.from({ length: call.sectionCount }, (_, i) =>
    i === call.index ? call.title : `Part ${i + 1}`,
  )
  const outline = { title: call.topic, sections }
  const messages = sectionPrompt(call.topic, outline, call.index, DEFAULT_JOB_OPTIONS)
  return call.continues ? continuePrompt(messages, call.continues) : messages
}

/** A section call: section `index` of `sectionCount`, under `title`. */
const section = (
  topic: string,
  title: string,
  index = 0,
  sectionCount = 4,
): Extract<DemoCall, { task: 'section' }> => ({
  task: 'section',
  topic,
  title,
  index,
  sectionCount,
})

const demo = createDemoClient({ tokenDelayMs: 0 })
const ask = (
  call: DemoCall,
  onToken?: (t: string) => void,
  signal = new AbortController().signal,
) => demo.complete({ messages: messagesFor(call), task: call.task, signal, onToken })

describe('the demo model', () => {
  it('writes a valid, topic-aware outline', async () => {
    const { text } = await ask({ task: 'outline', topic: 'sourdough bread' })
    const outline = parseOutline(text)
    expect(outline.sections.length).toBeGreaterThanOrEqual(4)
    expect(outline.title.toLowerCase()).toContain('sourdough bread')
  })

  it('carries on exactly where a cut-off answer stopped, mid-word too', async () => {
    const call = section('tea', 'Leaves', 0, 3)
    const whole = (await ask(call)).text
    for (const cut of [1, 37, Math.floor(whole.length / 2), whole.length - 1]) {
      let rest = ''
      await ask({ ...call, continues: whole.slice(0, cut) }, (t) => {
        rest += t
      })
      expect(whole.slice(0, cut) + rest, `cut at ${cut}`).toBe(whole)
    }
  })

  it('is deterministic per topic and differs between topics', async () => {
    const a = await ask(section('tea', 'Why tea matters'))
    const b = await ask(section('tea', 'Why tea matters'))
    const c = await ask(section('chess', 'Why chess matters'))
    expect(a.text).toBe(b.text)
    expect(a.text).not.toBe(c.text.replaceAll('chess', 'tea'))
    expect(a.text).toContain('tea')
    expect(a.text.split('\n\n').length).toBeGreaterThanOrEqual(2)
  })

  it('never repeats a sentence within a section', async () => {
    const { text } = await ask(section('tea', 'A short history of tea', 1))
    const sentences = text
      .split(/(?<=\.)\s+/)
      .map((s) => s.replace(/^[A-Za-z’ ]+,\s*/, '').toLowerCase())
    expect(new Set(sentences).size).toBe(sentences.length)
  })

  it('streams tokens that add up to the text, and reports usage', async () => {
    let streamed = ''
    const result = await ask({ task: 'outline', topic: 'tea' }, (t) => {
      streamed += t
    })
    expect(streamed).toBe(result.text.trimEnd())
    expect(result.usage?.completionTokens).toBeGreaterThan(5)
  })

  it('stops streaming as soon as the signal aborts', async () => {
    const slow = createDemoClient({ tokenDelayMs: 5 })
    const controller = new AbortController()
    let tokens = 0
    const call = section('tea', 'x', 0, 3)
    const run = slow.complete({
      messages: messagesFor(call),
      task: call.task,
      signal: controller.signal,
      onToken: () => {
        if (++tokens === 3) controller.abort(new Error('cancelled'))
      },
    })
    await expect(run).rejects.toThrow('cancelled')
    await new Promise((r) => setTimeout(r, 30))
    expect(tokens).toBe(3)
  })

  it('stamps each section token with the time it was produced, when asked, and only sections', async () => {
    const stamped = createDemoClient({ tokenDelayMs: 1, stampTokens: true })
    const signal = new AbortController().signal
    const tokens: { text: string; at: number }[] = []
    const call = section('tea', 'Tea')
    const before = Date.now()
    const { text } = await stamped.complete({
      messages: messagesFor(call),
      task: call.task,
      signal,
      onToken: (t) => tokens.push({ text: t, at: Date.now() }),
    })
    expect(tokens.length).toBeGreaterThan(10)
    expect(text).toBe(tokens.map((t) => t.text).join(''))
    for (const { text: token, at } of tokens) {
      const stamp = Number(/\[t=(\d{13})\]$/.exec(token)?.[1])
      expect(stamp).toBeGreaterThanOrEqual(before)
      expect(stamp).toBeLessThanOrEqual(at)
    }
    const plain = (await ask(call)).text
    expect(text.replace(/\[t=\d{13}\]/g, '')).toBe(plain)
    const outline = await stamped.complete({
      messages: messagesFor({ task: 'outline', topic: 'tea' }),
      task: 'outline',
      signal,
    })
    expect(outline.text).not.toContain('[t=')
  })
})

describe('the demo writer’s sentences', () => {
  it('puts the topic in a sentence as a sentence has it: lower case unless it is a name', () => {
    expect(topicInSentence('Tea ceremonies')).toBe('tea ceremonies')
    expect(topicInSentence('The history of the bicycle')).toBe('the history of the bicycle')
    expect(topicInSentence('Marie Curie')).toBe('Marie Curie')
    expect(topicInSentence('New York')).toBe('New York')
    expect(topicInSentence('Leonardo da Vinci')).toBe('Leonardo da Vinci')
    expect(topicInSentence('Bicycles in Amsterdam')).toBe('bicycles in Amsterdam')
    expect(topicInSentence('AI safety')).toBe('AI safety')
    expect(topicInSentence('iPhone design')).toBe('iPhone design')
    expect(topicInSentence('The Beatles')).toBe('the Beatles')
  })

  it('never writes "What The …" nor pastes a capitalised topic mid-sentence', () => {
    const topic = 'The history of the bicycle'
    const { title, sections } = demoOutline(topic)
    const texts = [
      title,
      ...sections,
      ...sections.map((s, i) => demoSection(topic, s, {}, i)),
      demoStyle(
        topic,
        title,
        sections.map((s, i) => `## ${s}\n\n${demoSection(topic, s, {}, i)}`).join('\n\n'),
      ),
      demoStyle('Tea ceremonies', 'Tea', '## A\n\nTea ceremonies matter.'),
    ]
    for (const text of texts) {
      expect(text).not.toMatch(/\S The history/)
      expect(text).not.toMatch(/about Tea ceremonies/)
    }
    expect(sections.join(' ')).toContain('the history of the bicycle')
  })

  it('gives no two sections of an article the same sentence, whatever their titles', () => {
    for (const titles of [
      demoOutline('tea').sections,
      ['Leaves', 'Cups', 'Kettles', 'Water', 'Time', 'Friends'],
    ]) {
      const seen = new Map<string, number>()
      for (const [index, title] of titles.entries()) {
        const sentences = demoSection('tea', title, {}, index)
          .split(/(?<=[.?!])\s+/)
          .map((s) =>
            s
              .replace(
                /^(In practice|Put simply|Just as important|Over time|Still|Of course),\s*/,
                '',
              )
              .toLowerCase(),
          )
        for (const sentence of sentences) {
          expect(
            seen.get(sentence),
            `"${sentence}" in sections ${seen.get(sentence)} and ${index}`,
          ).toBeUndefined()
          seen.set(sentence, index)
        }
      }
      expect(seen.size).toBeGreaterThan(titles.length * 5)
    }
  })
})
