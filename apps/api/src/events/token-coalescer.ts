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
 * Gathers a model's text deltas into `token` events, so a fast model does not flood every
 * reader with one frame per word, while a real model's first words are not held back.
 *
 * The rule: a delta that comes after a quiet spell — nothing sent by the job for a whole
 * window — goes out at once (the first words of a step or section, after the model's time to
 * first token, or after a pause). Deltas that come faster than the window are gathered and
 * sent one window after the last event. So a real model's first words are never held back,
 * while a model that answers at once (the demo at full speed) gets its `section.started` and
 * its whole text in two events, not three. A delta of another step or section first sends
 * what was gathered, so a `token` event never mixes two of them.
 */
export function createTokenCoalescer(options: TokenCoalescerOptions) {
  const windowMs = options.windowMs ?? 50
  let pending: TokenRun | undefined
  let timer: NodeJS.Timeout | undefined
  let lastSentAt = Number.NEGATIVE_INFINITY

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
    /** Takes one delta; sends it at once after a quiet spell, else within a window. */
    add(step: Step, index: number | undefined, text: string, progress: number): void {
      if (pending && (pending.step !== step || pending.index !== index)) flush()
      if (pending) {
        pending.text += text
        pending.progress = progress
      } else pending = { step, index, text, progress }
      if (timer) return
      const quietFor = Date.now() - lastSentAt
      if (quietFor >= windowMs) flush()
      else timer = setTimeout(flush, windowMs - quietFor)
    },

    /** Sends whatever is gathered now (before another event, or at the end of a call). */
    flush,

    /** Another event of the job went out: the quiet spell starts again from now. */
    markSent(): void {
      lastSentAt = Date.now()
    },
  }
}

export type TokenCoalescer = ReturnType<typeof createTokenCoalescer>
