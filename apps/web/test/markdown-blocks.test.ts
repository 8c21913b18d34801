import { describe, expect, it } from 'vitest'
import { healTail } from '../src/lib/markdown/heal-tail.js'
import { MarkdownBlocks } from '../src/lib/markdown/markdown-blocks.js'
import { renderMarkdown, renderTokens } from '../src/lib/markdown/render-markdown.js'
import { prefixes, RICH_ARTICLE, visibleText } from './helpers/sample-markdown.js'

describe('MarkdownBlocks', () => {
  it('renders a streamed text block by block into exactly the whole text’s HTML', () => {
    const blocks = new MarkdownBlocks()
    let html = ''
    let open = ''
    let longestOpen = 0
    for (const text of prefixes(RICH_ARTICLE)) {
      const update = blocks.update(text)
      if (update.reset) html = ''
      html += renderTokens(update.settled)
      open = update.open
      longestOpen = Math.max(longestOpen, open.length)
    }
    html += renderMarkdown(open, blocks.links)
    expect(html).toBe(renderMarkdown(RICH_ARTICLE))
    // Each update lexed one block, not the whole text again (but for the one below).
    expect(longestOpen).toBeLessThan(130) // the longest block is 123 characters
    // The link defined after its use: rendered again once the definition came.
    expect(html).toContain('<a href="https://example.com/src">the source</a>')
  })

  it('starts over when the text is not a continuation (a restarted section)', () => {
    const blocks = new MarkdownBlocks()
    blocks.update('First try.\n\nSecond para')
    expect(blocks.update('First try.\n\nSecond paragraph').reset).toBe(false)
    const again = blocks.update('New')
    expect(again).toEqual({ reset: true, settled: [], open: 'New' })
  })

  it('reads \\r\\n as a line break without losing a character', () => {
    const blocks = new MarkdownBlocks()
    const update = blocks.update('One.\r\n\r\nTwo.')
    expect(update.settled.map((t) => t.raw).join('') + update.open).toBe('One.\n\nTwo.')
  })
})

describe('healTail', () => {
  it('never lets a raw heading, emphasis or link marker show, at any prefix', () => {
    for (const text of prefixes(RICH_ARTICLE)) {
      // The open block is what gets healed; here the whole prefix is, the harder case.
      const html = renderMarkdown(healTail(text)).replace(/<(pre|code)>[\s\S]*?<\/\1>/g, '')
      expect(visibleText(html), JSON.stringify(text.slice(-40))).not.toMatch(/^\s*#|\*\*|\]\(/m)
    }
  })

  it('holds back a last line that is only markup, and closes what is open', () => {
    expect(healTail('Intro.\n\n##')).toBe('Intro.\n\n')
    expect(healTail('## ')).toBe('')
    expect(healTail('- a\n- ')).toBe('- a\n')
    expect(healTail('Tea is **stro')).toBe('Tea is **stro**')
    expect(healTail('A [leaf](https://exa')).toBe('A leaf')
  })
})
