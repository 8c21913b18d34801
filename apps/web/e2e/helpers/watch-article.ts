import type { Page } from 'playwright-core'

/** What the page showed, checked at every DOM change of the article card. */
export interface ArticleWatch {
  /** States of the card checked. */
  checks: number
  /** Raw Markdown on screen: `#` starting a line, `**`, `](`, or remend's placeholders. */
  raw: string[]
  /** During the style step: a shown section left without text, or fewer sections shown. */
  blank: string[]
}

/**
 * Installs, before the page's own scripts, an observer that checks the article card after
 * every change: the microtask after each render, so no state it reaches goes unseen.
 */
export async function watchArticle(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const watch = { checks: 0, raw: [] as string[], blank: [] as string[] }
    Object.assign(window, { articleWatch: watch })
    const RAW = /(^|\n)[ \t]*#{1,6}(\s|$)|\*\*|\]\(|streamdown:/
    let most = 0
    new MutationObserver(() => {
      const card = document.querySelector('[data-testid="live"], [data-testid="article"]')
      if (!card) return
      watch.checks++
      for (const el of card.querySelectorAll('.prose, h2, h3')) {
        const text = el.textContent ?? ''
        if (RAW.test(text) && watch.raw.length < 20) watch.raw.push(text.slice(-120))
      }
      const style = document.querySelector('[data-step="style"]')?.getAttribute('data-state')
      if (style !== 'active') return
      const sections = [...card.querySelectorAll('.article-section')]
      if (sections.length < most) watch.blank.push(`${sections.length} sections after ${most}`)
      most = Math.max(most, sections.length)
      for (const s of sections) {
        const shown = [...s.querySelectorAll('.prose')].map((p) => p.textContent ?? '').join('')
        if (!shown.trim()) watch.blank.push(`section ${s.getAttribute('data-index')} blank`)
      }
    }).observe(document, { subtree: true, childList: true, characterData: true })
  })
}

export const readWatch = (page: Page): Promise<ArticleWatch> =>
  page.evaluate(() => (window as unknown as { articleWatch: ArticleWatch }).articleWatch)
