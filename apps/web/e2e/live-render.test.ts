import {
  isOutline,
  isStyle,
  prefillOf,
  type ReplyScript,
  type StubRequest,
  sectionNumber,
} from '@inkflow/llm-stub'
import { describe, expect, it } from 'vitest'
import { hasChromium } from './helpers/browser.js'
import { expectLiveTextMatchesServer } from './helpers/expect-live-text.js'
import { snapshot, startJob } from './helpers/page-helpers.js'
import { useE2e } from './helpers/use-e2e.js'
import { readWatch, watchArticle } from './helpers/watch-article.js'

const SECTION = (name: string) =>
  [
    `${name} is **strong** and *subtle*; see [the guide](https://example.com/guide) for more.`,
    '',
    '- a first point, with `code`',
    '- a *second* point',
    '',
    '1. boil',
    '2. steep',
    '',
    `> A quoted line about ${name}.`,
    '',
    'A closing paragraph, with **bold words** at its end.',
  ].join('\n')

const POLISHED = [
  '# All about Rich tea',
  '',
  'NEW-STYLE: an introduction with **emphasis**.',
  '',
  ...['Origins', 'How it works', 'Why it matters'].flatMap((t) => [
    `## ${t}`,
    '',
    SECTION(`Polished ${t}`),
    '',
  ]),
].join('\n')

/** The full answer to one of inkflow's prompts. */
function answer(request: StubRequest): string {
  if (isOutline(request))
    return 'title: "All about Rich tea"\nsections:\n  - "Origins"\n  - "How it works"\n  - "Why it matters"\n'
  if (isStyle(request)) return POLISHED
  return SECTION(sectionNumber(request) === 2 ? 'Second' : 'Draft')
}

/**
 * Markdown-rich answers; the second section's first answer and the style pass's first
 * answer are cut off part-way (mid-list, mid-section). The API retries each with a prompt to
 * carry on from its text, and the stub then answers with the rest, as a model would.
 */
function richModel(): ReplyScript {
  const cut = new Set<string>()
  return (request) => {
    const text = answer(request)
    const written = prefillOf(request)
    if (written !== undefined)
      return { text: text.startsWith(written) ? text.slice(written.length) : text }
    const key = sectionNumber(request) === 2 ? 'section' : isStyle(request) ? 'style' : ''
    if (key && !cut.has(key)) {
      cut.add(key)
      return { text, errorAfterTokens: key === 'section' ? 20 : 70 }
    }
    return { text }
  }
}

describe.skipIf(!hasChromium)('live text, rendered as it streams', () => {
  const e2e = useE2e({ model: richModel(), tokenDelayMs: 15 })

  it('never shows raw Markdown, hands over section by section, and shows the log through retries', async () => {
    const page = await e2e.open({ width: 375, height: 812 })
    await watchArticle(page)
    const id = await startJob(page, e2e.origin, 'Rich tea')
    // The second section, carried on after its cut: in its closing paragraph by now.
    await page.getByText('A quoted line about Second').waitFor({ timeout: 20_000 })
    const afterSection = await snapshot(page)
    // The hand-over, after the style pass's cut: the third section is being polished from
    // its beginning, its draft's paragraphs not yet reached still shown below it.
    await page
      .locator('.article-section[data-state="polishing"][data-index="2"]')
      .waitFor({ timeout: 20_000 })
    const afterStyle = await snapshot(page)
    expect(afterStyle.texts['article-lead']).toBe('NEW-STYLE: an introduction with emphasis.')
    expect(afterStyle.texts['live-polished:0']).toContain('Polished Origins is strong')
    const polishing = afterStyle.texts['live-polished:2'] ?? ''
    const opening = 'Polished Why it matters is strong and subtle'
    expect(opening.startsWith(polishing) || polishing.startsWith(opening), polishing).toBe(true)
    // Five paragraphs: until the polish reaches the last, the draft's last one stays on screen.
    if (!polishing.includes('A closing paragraph'))
      expect(afterStyle.texts['live-section:2']).toContain('A closing paragraph, with bold words')
    await page.getByTestId('article').waitFor({ timeout: 30_000 })
    const finished = await snapshot(page)

    for (const shot of [afterSection, afterStyle, finished])
      await expectLiveTextMatchesServer(e2e.apiBaseUrl, id, shot)
    const article = page.getByTestId('article')
    expect(await article.locator('strong').count()).toBeGreaterThan(3)
    expect(await article.locator('ul li, ol li, blockquote, code').count()).toBeGreaterThan(10)
    const watch = await readWatch(page)
    // Many states in between were checked, not just a few (tokens arrive coalesced).
    expect(watch.checks).toBeGreaterThan(50)
    expect(watch.raw).toEqual([])
    expect(watch.blank).toEqual([])
  }, 60_000)
})
