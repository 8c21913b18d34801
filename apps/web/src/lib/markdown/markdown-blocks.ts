import { Lexer, type Links, type Token } from 'marked'

/** What changed since the last update of a growing text. */
export interface BlocksUpdate {
  /** The text is no continuation of the last one: drop every block shown so far. */
  reset: boolean
  /** Blocks that became final, in order; each is rendered once and never again. */
  settled: Token[]
  /** The unfinished last block's source: the only part rendered again next time. */
  open: string
}

/**
 * Splits a growing Markdown text into final blocks and the open one at its end. A block is
 * final once another block has begun after it: text appended later can only change the last
 * block (a paragraph that goes on, a list that gets an item). Each update lexes only the text
 * after the final blocks, so its cost is the open block's size, not the whole text's.
 */
export class MarkdownBlocks {
  /** The final part of the text so far. */
  #settled = ''
  /** Link definitions (`[id]: url`) from final blocks, for references in later ones. */
  #links: Links = Object.create(null)

  update(input: string): BlocksUpdate {
    // The lexer reads `\r\n` as `\n`; doing it first keeps every block's `raw` a slice of ours.
    const text = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input
    let reset = !text.startsWith(this.#settled)
    if (reset) this.#forget()
    let tail = text.slice(this.#settled.length)
    let lexer = this.#lex(tail)
    // A link defined below its first use (`[a][id]` … `[id]: url`): blocks already final
    // showed that use as text, so everything is rendered again, in one go. Rare.
    if (this.#settled && Object.keys(lexer.tokens.links).length > Object.keys(this.#links).length) {
      reset = true
      this.#forget()
      tail = text
      lexer = this.#lex(tail)
    }
    const tokens = lexer.tokens
    let last = tokens.length - 1
    while (last >= 0 && tokens[last]?.type === 'space') last--
    const settled = tokens.slice(0, Math.max(0, last))
    const consumed = settled.map((t) => t.raw).join('')
    // Every character belongs to some token's `raw`; if not, settle nothing rather than guess.
    if (!tail.startsWith(consumed)) return { reset, settled: [], open: tail }
    this.#settled += consumed
    this.#links = { ...lexer.tokens.links }
    return { reset, settled, open: tail.slice(consumed.length) }
  }

  #forget() {
    this.#settled = ''
    this.#links = Object.create(null)
  }

  #lex(src: string): Lexer {
    const lexer = new Lexer({ gfm: true })
    Object.assign(lexer.tokens.links, this.#links)
    lexer.lex(src)
    return lexer
  }

  /** Links defined so far, for rendering the open block. */
  get links(): Links {
    return this.#links
  }
}
