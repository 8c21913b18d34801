import { expect } from 'vitest'
import { readAllEvents, viewAt } from './job-events.js'
import type { PageSnapshot } from './page-helpers.js'

/**
 * The live text the page showed at `shot.seq` must equal what the server's events 1..seq
 * fold into: a repeated or skipped token anywhere would show as a difference.
 */
export async function expectLiveTextMatchesServer(
  apiBaseUrl: string,
  jobId: string,
  shot: PageSnapshot,
) {
  const expected = viewAt(await readAllEvents(apiBaseUrl, jobId), shot.seq)
  if (shot.polished !== null) {
    expect(shot.polished).toBe(expected.polished)
    expect(shot.polished.length).toBeGreaterThan(0)
    return
  }
  expect(shot.sections.length).toBeGreaterThan(0)
  for (const section of shot.sections) {
    expect(section.text).toBe(expected.sections[section.index]?.text)
  }
}
