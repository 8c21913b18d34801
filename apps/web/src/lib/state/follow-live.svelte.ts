/** Room kept under the live text when the page scrolls to it (px), for the caret to breathe. */
const MARGIN_PX = 32

/**
 * Keeps the text being written in view: after each change, if the live element's end has
 * gone below the window, the page scrolls just enough to show it (never up). Scrolling away
 * from it stops that — the page no longer moves under a reader — until the reader comes back
 * to it or `jump()`s there. `away` says when the live text is out of view, for a "jump to the
 * live text" control.
 *
 * Our own scrolls are told from the reader's by their position: a scroll event that lands
 * where we sent the page is ours. Ours only ever go down, so any scroll up is the reader's:
 * it stops the following at once, even while the live text is still partly in view (else
 * the next update would pull the page back under the reader's wheel or finger).
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

  /** `find` returns the element being written now, or null when nothing is. */
  constructor(private readonly find: () => HTMLElement | null) {}

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
    const el = this.find()
    if (!el) return
    const { top } = el.getBoundingClientRect()
    // A live paragraph above the window: show its start; below it: its end, as follow does.
    if (top < 0) this.#scrollTo(scrollY + top - innerHeight / 3)
    this.#follow()
  }

  #follow() {
    const el = this.find()
    if (!el) {
      this.away = false
      return
    }
    const below = el.getBoundingClientRect().bottom - (innerHeight - MARGIN_PX)
    if (this.following && below > 0) this.#scrollTo(scrollY + below)
    this.away = !inView(el)
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
    const seen = el !== null && inView(el)
    if (up) this.following = false
    else if (seen) this.following = true
    this.away = el !== null && !seen
  }
}

function inView(el: HTMLElement): boolean {
  const r = el.getBoundingClientRect()
  return r.bottom > 0 && r.top < innerHeight
}
