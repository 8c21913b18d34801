/** Why a stream was refused: its client is at its cap, or this process is at its own. */
export type StreamRefusal = 'client' | 'process'

/**
 * Counts the open event streams of this process, per client and in all, and refuses one
 * over either cap. `client` is a client key (`client-key.ts`), so one IPv6 /56 is one
 * client here as it is for the rate limit.
 */
export function createStreamQuota(options: {
  /** Open streams one client may hold (`MAX_STREAMS_PER_CLIENT`). */
  perClient: number
  /** Open streams this process serves in all (`MAX_STREAMS`). Default: no cap. */
  perProcess?: number
}) {
  const open = new Map<string, number>()
  let total = 0
  const perProcess = options.perProcess ?? Number.POSITIVE_INFINITY
  return {
    /** Takes a slot for `client`; returns its release, or why there is none. */
    acquire(client: string): (() => void) | StreamRefusal {
      const count = open.get(client) ?? 0
      if (count >= options.perClient) return 'client'
      if (total >= perProcess) return 'process'
      open.set(client, count + 1)
      total += 1
      let released = false
      return () => {
        if (released) return
        released = true
        total -= 1
        const left = (open.get(client) ?? 1) - 1
        if (left <= 0) open.delete(client)
        else open.set(client, left)
      }
    },
  }
}

export type StreamQuota = ReturnType<typeof createStreamQuota>
