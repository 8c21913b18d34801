import type { Step } from '@inkflow/shared'

/** Gathered text of one step (and section), sent as one `token` event. */
export interface TokenRun {
  step: Step
  index: number | undefined
  text: string
  /** The job's progress as of the run's last delta. */
  progress: number
}

export interface TokenCoalescerOptions {
  /** The window: at most one `token` event per this many ms while deltas keep coming. Default 50. */
  windowMs?: number
  /** Sends a run of gathered text (the emitter appends it as a `token` event). */
  send: (run: TokenRun) => void
}

/**
 * A gap between two deltas this many windows long is the model's pause; a shorter one may be
 * a busy event loop's turn (under load a turn takes a window or two, and a model paced by
 * timers, like the demo, then seems to pause at every delta).
 */
export const MODEL_PAUSE_WINDOWS = 4

/**
 * Gathers a model's text deltas into `token` events, so a fast model does not flood every
 * reader with one frame per word, while a real model's first words are not held back.
 *
 * The rule: a delta that ends a quiet spell goes out at once. A quiet spell is the job's and
 * the model's: nothing sent by the job for a window, and the delta is the first since the
 * job's last other event (a step's or section's first words, after the model's time to first
 * token) or comes after the model paused for `MODEL_PAUSE_WINDOWS` windows. Any other delta
 * is gathered for a window. So a trickling model's first words reach readers at once, and a
 * server too busy to keep its timers does not send each late delta on its own — which, at
 * 10,000 streams, multiplies the frames it must write until jobs stall (`fan-out` in
 * BENCHMARKS.md). A delta of another step or section first sends what was gathered, so a
 * `token` event never mixes two of them.
 */
export function createTokenCoalescer(options: TokenCoalescerOptions) {
  const windowMs = options.windowMs ?? 50
  let pending: TokenRun | undefined
  let timer: NodeJS.Timeout | undefined
  let lastSentAt = Number.NEGATIVE_INFINITY
  // The previous delta's time; undefined until the first delta after another event.
  let lastDeltaAt: number | undefined

  const flush = () => {
    clearTimeout(timer)
    timer = undefined
    if (!pending) return
    const run = pending
    pending = undefined
    lastSentAt = Date.now()
    options.send(run)
  }

  return {
    /** Takes one delta; sends it at once when it ends a quiet spell, else within a window. */
    add(step: Step, index: number | undefined, text: string, progress: number): void {
      const now = Date.now()
      const quiet =
        now - lastSentAt >= windowMs &&
        (lastDeltaAt === undefined || now - lastDeltaAt >= MODEL_PAUSE_WINDOWS * windowMs)
      lastDeltaAt = now
      if (pending && (pending.step !== step || pending.index !== index)) flush()
      if (pending) {
        pending.text += text
        pending.progress = progress
      } else pending = { step, index, text, progress }
      if (timer) return
      if (quiet) flush()
      else timer = setTimeout(flush, windowMs)
    },

    /** Sends whatever is gathered now (before another event, or at the end of a call). */
    flush,

    /** Another event of the job went out: the next delta is the first after it. */
    markSent(): void {
      lastSentAt = Date.now()
      lastDeltaAt = undefined
    },
  }
}

export type TokenCoalescer = ReturnType<typeof createTokenCoalescer>
