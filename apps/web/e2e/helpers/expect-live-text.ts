import type { ProgressEvent } from '@inkflow/shared'
import { expect } from 'vitest'
import { healTail } from '../../src/lib/markdown/heal-tail.js'
import { renderMarkdown } from '../../src/lib/markdown/render-markdown.js'
import { articleParts } from '../../src/lib/state/article-parts.js'
import { readAllEvents, viewAt } from './job-events.js'
import { normalizeText, type PageSnapshot } from './page-helpers.js'

/** The visible text of Markdown as the page renders it (a text being written is healed). */
const rendered = (markdown: string, writing: boolean) =>
  normalizeText(
    renderMarkdown(writing ? healTail(markdown) : markdown)
      .replace(/<[^>]+>/g, '')
      .replace(/&(#\d+|amp|lt|gt|quot);/g, (m) =>
        m.startsWith('&#')
          ? String.fromCharCode(Number(m.slice(2, -1)))
          : ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"' }[m] ?? m),
      ),
  )

/**
 * Every text the page showed at `shot.seq` — drafts, polished sections, the lead, the
 * headings — must be what the server's events 1..seq fold into: a repeated or skipped token,
 * or text kept past a restart, would show as a difference.
 */
export async function expectLiveTextMatchesServer(
  apiBaseUrl: string,
  jobId: string,
  shot: PageSnapshot,
) {
  expectTextsMatchLog(await readAllEvents(apiBaseUrl, jobId), shot)
}

/** The same check against a log at hand. */
export function expectTextsMatchLog(events: ProgressEvent[], shot: PageSnapshot) {
  const view = viewAt(events, shot.seq)
  const live = !['completed', 'failed', 'cancelled'].includes(view.status)
  const parts = articleParts(view)
  const texts: Record<string, string> = {}
  const titles: Record<string, string> = {}
  for (const s of parts.sections) {
    titles[s.index] = s.title
    if (s.draft !== null)
      texts[`live-section:${s.index}`] = rendered(s.draft, live && s.state === 'writing')
    if (s.polished !== null)
      texts[`live-polished:${s.index}`] = rendered(s.polished, live && s.state === 'polishing')
  }
  if (parts.lead) texts['article-lead'] = rendered(parts.lead, live && parts.leadWriting)
  expect(shot.texts).toEqual(texts)
  expect(shot.titles).toEqual(titles)
  expect(Object.values(texts).join('').length).toBeGreaterThan(0)
}
