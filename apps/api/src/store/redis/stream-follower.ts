import type { ProgressEvent } from '@inkflow/shared'
import type { Redis } from 'ioredis'
import type { EventListener } from '../../events/event-log.js'
import { sleep } from '../../lib/sleep.js'
import { createListenerRegistry } from '../listener-registry.js'

/** XREAD's reply: per stream, its key and entries (id, flat field list); null on timeout. */
type XReadReply = [key: string, entries: [id: string, fields: string[]][]][] | null

export interface StreamFollowerOptions {
  /** A non-blocking connection, used to interrupt the blocking read (`CLIENT UNBLOCK`). */
  commands: Redis
  /** Opens the blocking connection, once, on the first subscription. */
  openBlocking: () => Redis
  streamKey: (jobId: string) => string
  decode: (id: string, fields: string[]) => ProgressEvent
  onError?: (err: unknown) => void
  /** Longest one XREAD blocks before the loop goes round again. Default 5000 ms. */
  blockMs?: number
  /** Entries taken per stream per read. Default 500. */
  batch?: number
}

/**
 * Follows any number of job streams with ONE blocking XREAD loop and one connection per
 * process, fanning entries out to in-process listeners: a thousand open SSE streams cost one
 * Redis connection, not a thousand.
 *
 * A job newly followed is read from the start of its stream: XREAD cannot start "where the
 * stream was when subscribe returned" without a round trip, and replaying is exact while a
 * skipped last event would leave a stream waiting forever. Listeners drop what they have.
 */
export function createStreamFollower(options: StreamFollowerOptions) {
  const { commands, blockMs = 5000, batch = 500 } = options
  const onError = options.onError ?? (() => {})
  const listeners = createListenerRegistry(onError)
  const positions = new Map<string, string>() // jobId → id of the last entry delivered
  let blocking: Redis | undefined
  let blockingId: number | undefined
  let generation = 0 // bumps whenever a job starts being followed
  let inflight: number | undefined // the generation the XREAD in flight was issued for
  let unblocking = false
  let wake: (() => void) | undefined
  let loop: Promise<void> | undefined
  let closed = false

  /** The XREAD in flight does not name a newly followed stream: cut it short. */
  const unblock = async () => {
    if (unblocking) return
    unblocking = true
    try {
      while (!closed && inflight !== undefined && inflight < generation) {
        const id = blockingId
        const done = id !== undefined && (await commands.call('CLIENT', 'UNBLOCK', id)) === 1
        if (done) return
        await sleep(2) // the XREAD has not reached the server yet
      }
    } catch (err) {
      onError(err)
    } finally {
      unblocking = false
    }
  }

  const readOnce = async (conn: Redis) => {
    blockingId ??= Number(await conn.call('CLIENT', 'ID'))
    const jobIds = [...positions.keys()]
    const keyToJob = new Map(jobIds.map((id) => [options.streamKey(id), id]))
    inflight = generation
    let reply: XReadReply
    try {
      const raw = await conn.call(
        'XREAD',
        'COUNT',
        batch,
        'BLOCK',
        blockMs,
        'STREAMS',
        ...keyToJob.keys(),
        ...jobIds.map((id) => positions.get(id) ?? '0-0'),
      )
      // Redis's own reply shape, not validated: every instance reads every entry of every
      // followed job (a malformed entry fails its decode below, skipped).
      reply = raw as XReadReply
    } finally {
      inflight = undefined
    }
    for (const [key, entries] of reply ?? []) {
      const jobId = keyToJob.get(key)
      if (jobId === undefined) continue
      for (const [id, fields] of entries) {
        if (!positions.has(jobId)) break // nobody follows it any more
        positions.set(jobId, id)
        try {
          listeners.notify(options.decode(id, fields))
        } catch (err) {
          onError(err) // a malformed entry is skipped, never fatal to the loop
        }
      }
    }
  }

  const run = async () => {
    while (!closed) {
      if (positions.size === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve
        })
        wake = undefined
        continue
      }
      blocking ??= options.openBlocking()
      try {
        await readOnce(blocking)
      } catch (err) {
        if (closed) break
        blockingId = undefined // a reconnect gets a new client id
        onError(err)
        await sleep(250)
      }
    }
  }

  return {
    subscribe(jobId: string, listener: EventListener): () => void {
      const remove = listeners.add(jobId, listener)
      if (!positions.has(jobId) && !closed) {
        positions.set(jobId, '0-0')
        generation++
        loop ??= run()
        wake?.()
        void unblock()
      }
      return () => {
        remove()
        if (!listeners.has(jobId)) positions.delete(jobId)
      }
    },

    async close() {
      closed = true
      wake?.()
      blocking?.disconnect()
      await loop
    },
  }
}
