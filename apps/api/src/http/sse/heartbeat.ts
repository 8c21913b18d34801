/**
 * One timer for the heartbeats of every open stream, instead of one per stream: with
 * thousands of idle streams, a timer each is a measurable part of their memory.
 *
 * It ticks four times per period; a stream that has written nothing for three quarters of
 * a period or more by a tick sends its comment then, so a quiet stream hears a ping every
 * 0.75 to 1 period.
 */
export function createHeartbeat(periodMs: number) {
  const tickMs = Math.max(1, Math.floor(periodMs / 4))
  const beats = new Set<() => void>()
  let timer: NodeJS.Timeout | undefined
  const tick = () => {
    for (const beat of beats) beat()
  }
  return {
    /** A stream that has been quiet this long pings at the next tick. */
    idleMs: periodMs - tickMs,
    /** Calls `beat` at every tick until the returned function is called. */
    add(beat: () => void): () => void {
      beats.add(beat)
      if (!timer) {
        timer = setInterval(tick, tickMs)
        timer.unref()
      }
      return () => {
        beats.delete(beat)
        if (beats.size === 0 && timer) {
          clearInterval(timer)
          timer = undefined
        }
      }
    },
  }
}

export type Heartbeat = ReturnType<typeof createHeartbeat>
