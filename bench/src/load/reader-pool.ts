import type { Socket } from 'node:net'
import { createHistogram, record, toSparse } from '../stats/histogram.js'
import { openSseStream, type StreamTally } from './sse-stream.js'

/** One group of identical readers: `count` streams of `path`. */
export interface ReaderTarget {
  path: string
  count: number
  /** Another server's port (several API instances); default the pool's. */
  port?: number
}

export interface ReaderPoolOptions {
  host: string
  port: number
  targets: ReaderTarget[]
  /** Source addresses, used in turn. */
  localAddresses: string[]
  /** Connections being set up at once; more would overflow the server's accept backlog. */
  connectConcurrency?: number
  watchContent?: boolean
  /** Time each step's and section's first words from the stub's stamps (see `sse-stream`). */
  watchFirstWords?: boolean
}

/** What a pool reports: sums over its streams, plus the live-delay histogram. */
export interface PoolReport {
  streams: number
  opened: number
  completed: number
  errors: number
  errorSamples: string[]
  gaps: number
  duplicates: number
  frames: number
  bytes: number
  /** Events older than their stream (replayed on connect): not part of the delay figures. */
  replayed: number
  firstFrameAt: number
  lastFrameAt: number
  delay: ReturnType<typeof toSparse>
  /** Live token frames: their oldest token's age on arrival (stamped demo tokens only). */
  tokenAge: ReturnType<typeof toSparse>
  /** Per stream when `watchContent` or `watchFirstWords`: path, opened, first content token, terminal. */
  timings?: {
    path: string
    openedAt: number
    firstContentAt: number
    endedAt: number
    /** With `watchFirstWords`: each step's and section's first-words lag, ms (`null`: unmeasured). */
    firstWords?: Record<string, number | null>
  }[]
}

/** Opens and follows many SSE streams, tallying what they receive. */
export function createReaderPool(options: ReaderPoolOptions) {
  const delay = createHistogram()
  const tokenAge = createHistogram()
  const sockets = new Set<Socket>()
  const tallies: { path: string; tally: StreamTally }[] = []
  let firstFrameAt = 0
  let lastFrameAt = 0
  let replayed = 0
  let ended = 0
  let total = 0
  let onAllEnded: (() => void) | undefined

  const open = async (): Promise<number> => {
    const queue = options.targets.flatMap((t) => Array.from({ length: t.count }, () => t))
    total = queue.length
    const started = Date.now()
    let next = 0
    let pendingHeads = 0
    await new Promise<void>((resolve) => {
      const pump = () => {
        while (next < queue.length && pendingHeads < (options.connectConcurrency ?? 200)) {
          const { path, port = options.port } = queue[next]!
          const localAddress = options.localAddresses[next % options.localAddresses.length]
          next++
          pendingHeads++
          let headSeen = false
          const headDone = () => {
            if (headSeen) return
            headSeen = true
            pendingHeads--
            if (next >= queue.length && pendingHeads === 0) resolve()
            else pump()
          }
          const socket = openSseStream({
            host: options.host,
            port,
            path,
            localAddress,
            watchContent: options.watchContent,
            watchFirstWords: options.watchFirstWords,
            onHead: headDone,
            onFrame(frame, receivedAt, tally) {
              headDone()
              if (firstFrameAt === 0) firstFrameAt = receivedAt
              lastFrameAt = receivedAt
              if (frame.tsMs >= tally.openedAt) {
                record(delay, receivedAt - frame.tsMs)
                if (frame.stampMs >= 0) record(tokenAge, receivedAt - frame.stampMs)
              } else replayed++
            },
            onEnd(tally) {
              headDone()
              sockets.delete(socket)
              tallies.push({ path, tally })
              ended++
              if (ended === total) onAllEnded?.()
            },
          })
          sockets.add(socket)
        }
      }
      pump()
      if (queue.length === 0) resolve()
    })
    return Date.now() - started
  }

  const report = (): PoolReport => {
    const sum = (f: (t: StreamTally) => number) => tallies.reduce((n, { tally }) => n + f(tally), 0)
    const live = [...sockets].length
    const errors = tallies.filter(({ tally }) => tally.error)
    return {
      streams: total,
      opened: sum((t) => (t.openedAt > 0 ? 1 : 0)) + live,
      completed: sum((t) => (t.terminal ? 1 : 0)),
      errors: errors.length + live,
      errorSamples: [...new Set(errors.map(({ tally }) => tally.error!))].slice(0, 5),
      gaps: sum((t) => t.gaps),
      duplicates: sum((t) => t.duplicates),
      frames: sum((t) => t.frames),
      bytes: sum((t) => t.bytes),
      replayed,
      firstFrameAt,
      lastFrameAt,
      delay: toSparse(delay),
      tokenAge: toSparse(tokenAge),
      timings:
        options.watchContent || options.watchFirstWords
          ? tallies.map(({ path, tally }) => ({
              path,
              openedAt: tally.openedAt,
              firstContentAt: tally.firstContentAt,
              endedAt: tally.endedAt,
              firstWords: tally.firstWords,
            }))
          : undefined,
    }
  }

  return {
    open,
    /** Resolves once every stream has ended, or after `timeoutMs`. */
    waitAll(timeoutMs: number): Promise<void> {
      if (ended >= total) return Promise.resolve()
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, timeoutMs)
        onAllEnded = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    },
    /** Streams open right now (idle-memory scenario). */
    get openCount() {
      return sockets.size
    },
    report,
    /** Destroys every open socket; streams still open count as errors in the report. */
    closeAll() {
      for (const socket of sockets) socket.destroy()
    },
  }
}
