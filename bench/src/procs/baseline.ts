import { type ChildProcess, fork } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import type { BaselinePlan } from './baseline-server.js'
import { stopChild, track } from './children.js'

const SERVER = fileURLToPath(new URL('./baseline-server.ts', import.meta.url))

function next<T>(child: ChildProcess, kind: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: { kind: string }) => {
      if (message.kind !== kind) return
      child.off('message', onMessage)
      resolve(message as T)
    }
    child.on('message', onMessage)
  })
}

/** Starts the bare `node:http` baseline server in its own process. */
export async function startBaseline() {
  const child = track(fork(SERVER, [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' }))
  const [ready] = (await once(child, 'message')) as [{ kind: string; port: number }]
  return {
    host: '127.0.0.1',
    port: ready.port,
    pid: child.pid!,
    /** Path of channel `i`, the baseline's stand-in for a job's event stream. */
    path: (i: number) => `/c/c${i}`,
    /** Plays the plan on every channel; resolves once every terminal frame is written. */
    play(plan: BaselinePlan): Promise<unknown> {
      child.send({ cmd: 'play', plan })
      return next(child, 'played')
    },
    stats(): Promise<{ open: number; rssBytes: number }> {
      child.send({ cmd: 'stats' })
      return next(child, 'stats')
    },
    stop: () => stopChild(child),
  }
}
