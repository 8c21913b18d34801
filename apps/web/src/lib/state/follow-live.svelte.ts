/** Room kept under the live text when the page scrolls to it (px), for the caret to breathe. */
const MARGIN_PX = 32

/**
 * Keeps the text being written in view: after each change, if the live element's end has
 * gone below the window, the page scrolls just enough to show it; if the live text is now
 * above the window (the style pass starts again at the top), the page goes back up to its
 * start. Scrolling away
 * from it stops that — the page no longer moves under a reader — until the reader comes back
 * to it or `jump()`s there. `away` says when the live text is out of view, for a "jump to the
 * live text" control.
 *
 * Our own scrolls are told from the reader's by their position: a scroll event that lands
 * where we sent the page is ours; any other scroll up is the reader's: it stops the following
 * at once, even while the live text is still partly in view (else the next update would pull
 * the page back under the reader's wheel or finger).
 */
export class LiveFollower {
  /** Whether the page scrolls with the text (true until the reader scrolls away). */
  following = $state(true)
  /** Whether the live text is out of the window right now. */
  away = $state(false)

  #frame = 0
  #ownY = Number.NaN
  #lastY = 0
  readonly #onScroll = () => this.#scrolled()

  /**
   * `find` returns the element being written now, or null when nothing is; `inset` the height
   * of what covers the window's top (a sticky bar), 0 by default.
   */
  constructor(
    private readonly find: () => HTMLElement | null,
    private readonly inset: () => number = () => 0,
  ) {}

  /** Starts watching the reader's scrolling; returns the stop. */
  start(): () => void {
    this.#lastY = scrollY
    addEventListener('scroll', this.#onScroll, { passive: true })
    return () => {
      removeEventListener('scroll', this.#onScroll)
      cancelAnimationFrame(this.#frame)
    }
  }

  /** The text changed: follow it on the next frame (once per frame, however many changes). */
  update(): void {
    if (this.#frame) return
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0
      this.#follow()
    })
  }

  /** Back to the live text, and following it again. */
  jump(): void {
    this.following = true
    this.#follow()
  }

  #follow() {
    const el = this.find()
    if (!el) {
      this.away = false
      return
    }
    const { top, bottom } = el.getBoundingClientRect()
    const below = bottom - (innerHeight - MARGIN_PX)
    const inset = this.inset()
    if (this.following && bottom <= inset) this.#scrollTo(scrollY + top - inset - MARGIN_PX)
    else if (this.following && below > 0) this.#scrollTo(scrollY + below)
    this.away = !inView(el, inset)
  }

  #scrollTo(y: number) {
    this.#ownY = Math.round(Math.max(0, y))
    scrollTo({ top: this.#ownY, behavior: 'instant' })
    this.#lastY = scrollY
  }

  #scrolled() {
    const y = scrollY
    const up = y < this.#lastY - 1
    this.#lastY = y
    if (Math.abs(y - this.#ownY) <= 2) return
    this.#ownY = Number.NaN
    // Between two sections nothing is being written: the reader's choice stands until then.
    const el = this.find()
    const seen = el !== null && inView(el, this.inset())
    if (up) this.following = false
    else if (seen) this.following = true
    this.away = el !== null && !seen
  }
}

function inView(el: HTMLElement, inset: number): boolean {
  const r = el.getBoundingClientRect()
  return r.bottom > inset && r.top < innerHeight
}
