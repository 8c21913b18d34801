import { isTerminalEvent, type ProgressEvent } from '@inkflow/shared'
import { expect } from 'vitest'
import { createJob } from './job-client.js'
import { readStream, seqsOf } from './sse-reader.js'

/** Runs one job to its end on the server at `baseUrl` and returns its whole event log. */
export async function runJob(baseUrl: string, topic: string): Promise<ProgressEvent[]> {
  const id = await createJob(baseUrl, topic)
  return (await readStream(`${baseUrl}/api/jobs/${id}/events`)).events
}

/** The text a step's `token` events tell, in order: of section `index` for `content`. */
export const tokenText = (events: ProgressEvent[], step: string, index?: number) =>
  events
    .flatMap((e) =>
      e.type === 'token' && e.step === step && (index === undefined || e.index === index)
        ? [e.text]
        : [],
    )
    .join('')

/** The text of section `index` as its `token` events tell it, in order. */
export const sectionText = (events: ProgressEvent[], index: number) =>
  tokenText(events, 'content', index)

/**
 * A job's whole log, however its runs were cut (killed workers, storage faults): seqs
 * 1, 2, 3… with no hole, one end and it `job.completed`, one outline, each section completed
 * once, and the `token` texts of each section's last start adding up exactly to its
 * `section.completed` content.
 */
export function expectWholeLog(events: ProgressEvent[]): void {
  expect(events.length).toBeGreaterThan(0)
  expect(seqsOf(events)).toEqual(events.map((_, i) => i + 1))
  expect(events.filter(isTerminalEvent).map((e) => e.type)).toEqual(['job.completed'])
  expect(events.at(-1)?.type).toBe('job.completed')
  expect(events.filter((e) => e.type === 'outline.ready')).toHaveLength(1)
  const sections = events.flatMap((e) => (e.type === 'section.completed' ? [e.index] : []))
  expect(sections).toEqual([...new Set(sections)].sort((a, b) => a - b))
  // A section started again from scratch drops the text of its earlier start.
  const text = new Map<number, string>()
  for (const e of events) {
    if (e.type === 'section.started') text.set(e.index, '')
    if (e.type === 'token' && e.step === 'content' && e.index !== undefined)
      text.set(e.index, (text.get(e.index) ?? '') + e.text)
    if (e.type === 'section.completed') expect(text.get(e.index)).toBe(e.content)
  }
}
