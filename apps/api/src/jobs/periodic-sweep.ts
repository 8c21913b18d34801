/**
 * Runs a sweep now and then every `intervalMs`, one at a time: a sweep asked for while one
 * runs joins it. The timer never keeps the process alive. What the retention and review
 * expiry sweeps share.
 */
export function createPeriodicSweep(options: {
  /** One pass; resolves with how many jobs it handled. */
  sweepOnce: () => Promise<number>
  intervalMs: number
  /** Hears a sweep that failed (the next one tries again). */
  onError?: (err: unknown) => void
}) {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<number> | undefined

  const sweep = (): Promise<number> => {
    running ??= options.sweepOnce().finally(() => {
      running = undefined
    })
    return running
  }

  const tick = () => {
    sweep().catch((err) => options.onError?.(err))
  }

  return {
    /** Runs one sweep now (or joins the one running). */
    sweep,
    /** Sweeps at once, then every `intervalMs`. */
    start(): void {
      if (timer) return
      timer = setInterval(tick, options.intervalMs)
      timer.unref()
      tick()
    },
    /** Stops the timer and waits for a sweep in progress. */
    async stop(): Promise<void> {
      clearInterval(timer)
      timer = undefined
      await running?.catch(() => {})
    },
  }
}
