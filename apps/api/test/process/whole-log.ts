import type { ProgressEvent } from '@inkflow/shared'
import { expect } from 'vitest'

/**
 * A job's whole log, as a reader sees it after storage faults: seqs 1, 2, 3… with no hole,
 * one end and it `job.completed`, and each section's `token` texts adding up exactly to its
 * `section.completed` content.
 */
export function expectWholeLog(events: ProgressEvent[]): void {
  expect(events.length).toBeGreaterThan(0)
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
  const ends = events.filter((e) =>
    ['job.completed', 'job.failed', 'job.cancelled'].includes(e.type),
  )
  expect(ends.map((e) => e.type)).toEqual(['job.completed'])
  expect(events.at(-1)?.type).toBe('job.completed')
  const text = new Map<number, string>()
  for (const e of events) {
    if (e.type === 'section.started') text.set(e.index, '')
    if (e.type === 'token' && e.step === 'content' && e.index !== undefined)
      text.set(e.index, (text.get(e.index) ?? '') + e.text)
    if (e.type === 'section.completed') expect(text.get(e.index)).toBe(e.content)
  }
}
