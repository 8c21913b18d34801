import { type ChildProcess, fork } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { track } from '../procs/children.js'
import { createHistogram, type Histogram, mergeSparse } from '../stats/histogram.js'
import type { WorkerCommand } from './load-worker.js'
import type { PostedJob, RawPostOptions } from './raw-posts.js'
import type { PoolReport, ReaderPoolOptions, ReaderTarget } from './reader-pool.js'

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url))

/** The merged report of every load worker. */
export interface LoadReport extends Omit<PoolReport, 'delay' | 'tokenAge'> {
  delay: Histogram
  tokenAge: Histogram
  /** CPU time of the load generator, all workers, since they started opening. */
  cpuMs: number
  rssBytes: number
}

/** A worker's reply: `opened` carries `ms`, `report` carries the pool report and usage. */
interface WorkerReply {
  kind: string
  ms: number
  open: number
  report: PoolReport
  cpuMs: number
  rssBytes: number
  jobs: PostedJob[]
}

function request(child: ChildProcess, command: WorkerCommand, kind: string): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { kind: string }) => {
      if (message.kind !== kind) return
      child.off('message', onMessage)
      child.off('exit', onExit)
      resolve(message as WorkerReply)
    }
    const onExit = (code: number | null) => reject(new Error(`load worker exited (${code})`))
    child.on('message', onMessage)
    child.once('exit', onExit)
    child.send(command)
  })
}

/** Splits the targets' readers evenly over `n` workers, keeping whole paths together where it can. */
function split(targets: ReaderTarget[], n: number): ReaderTarget[][] {
  const parts: ReaderTarget[][] = Array.from({ length: n }, () => [])
  targets.forEach((t, i) => {
    const base = Math.floor(t.count / n)
    for (let w = 0; w < n; w++) {
      const count = base + (w < t.count % n ? 1 : 0)
      if (count > 0) parts[(w + i) % n]!.push({ ...t, count })
    }
  })
  return parts
}

/**
 * Starts `n` load-worker processes (each runs TypeScript through tsx, like the harness).
 * Returns handles to open streams across them and gather one merged report.
 */
export async function startLoadWorkers(n: number) {
  const children = await Promise.all(
    Array.from({ length: n }, async () => {
      // `BENCH_CPU_PROF_LOAD=<dir>`: profile the load workers too (they leave by process.exit).
      const prof = process.env.BENCH_CPU_PROF_LOAD
      const execArgv = [
        '--import',
        'tsx',
        ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : []),
      ]
      const child = track(fork(WORKER, [], { execArgv, stdio: 'inherit' }))
      const [message] = (await once(child, 'message')) as [{ kind: string }]
      if (message.kind !== 'ready') throw new Error('load worker did not start')
      return child
    }),
  )

  let stopped = false
  const merge = (replies: { report: PoolReport; cpuMs: number; rssBytes: number }[]) => {
    const delay = createHistogram()
    const tokenAge = createHistogram()
    const out: LoadReport = {
      streams: 0,
      opened: 0,
      completed: 0,
      errors: 0,
      errorSamples: [],
      gaps: 0,
      duplicates: 0,
      frames: 0,
      bytes: 0,
      replayed: 0,
      firstFrameAt: 0,
      lastFrameAt: 0,
      delay,
      tokenAge,
      cpuMs: 0,
      rssBytes: 0,
      timings: undefined,
    }
    for (const { report: r, cpuMs, rssBytes } of replies) {
      mergeSparse(delay, r.delay)
      mergeSparse(tokenAge, r.tokenAge)
      for (const key of [
        'streams',
        'opened',
        'completed',
        'errors',
        'gaps',
        'duplicates',
        'frames',
        'bytes',
        'replayed',
      ] as const)
        out[key] += r[key]
      out.errorSamples = [...new Set([...out.errorSamples, ...r.errorSamples])].slice(0, 5)
      if (r.firstFrameAt && (!out.firstFrameAt || r.firstFrameAt < out.firstFrameAt))
        out.firstFrameAt = r.firstFrameAt
      out.lastFrameAt = Math.max(out.lastFrameAt, r.lastFrameAt)
      if (r.timings) out.timings = [...(out.timings ?? []), ...r.timings]
      out.cpuMs += cpuMs
      out.rssBytes += rssBytes
    }
    return out
  }

  return {
    /** POSTs every body at once from the first worker, each timed from its write. */
    async post(options: RawPostOptions): Promise<PostedJob[]> {
      return (await request(children[0]!, { cmd: 'post', options }, 'posted')).jobs
    },
    /** Opens the readers (split across workers); resolves with the slowest worker's ms. */
    async open(options: Omit<ReaderPoolOptions, 'localAddresses'> & { localAddresses: string[] }) {
      const parts = split(options.targets, n)
      const replies = await Promise.all(
        children.map((child, w) =>
          request(
            child,
            {
              cmd: 'open',
              options: {
                ...options,
                targets: parts[w]!,
                // Each worker its own source addresses, so their ports never collide.
                localAddresses: options.localAddresses.filter((_, i) => i % n === w),
              },
            },
            'opened',
          ),
        ),
      )
      return Math.max(...replies.map((r: { ms: number }) => r.ms))
    },
    /** Waits until every stream ended (or the timeout), then reports. */
    async wait(timeoutMs: number): Promise<LoadReport> {
      return merge(
        await Promise.all(children.map((c) => request(c, { cmd: 'wait', timeoutMs }, 'report'))),
      )
    },
    async report(): Promise<LoadReport & { open: number }> {
      const replies = await Promise.all(
        children.map((c) => request(c, { cmd: 'report' }, 'report')),
      )
      return { ...merge(replies), open: replies.reduce((n, r: { open: number }) => n + r.open, 0) }
    },
    async stop(): Promise<void> {
      if (stopped) return
      stopped = true
      await Promise.all(children.map((c) => request(c, { cmd: 'close' }, 'closed').catch(() => {})))
      for (const child of children) {
        // A profiled worker must leave by itself for its profile to be written.
        if (process.env.BENCH_CPU_PROF_LOAD && child.connected) {
          const exited = once(child, 'exit')
          child.disconnect()
          await exited
        } else child.kill('SIGKILL')
      }
    },
  }
}

export type LoadWorkers = Awaited<ReturnType<typeof startLoadWorkers>>
