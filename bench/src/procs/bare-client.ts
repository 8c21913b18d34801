import { fork } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import type { ChainTiming, ChatBody } from '../load/model-call-chains.js'
import type { BareClientCommand } from './bare-client-process.js'
import { stopChild, track } from './children.js'

const PROCESS = fileURLToPath(new URL('./bare-client-process.ts', import.meta.url))

type Reply = { kind: 'timings'; timings: ChainTiming[] } | { kind: 'failed'; message: string }

/**
 * Starts the bare model client in its own process: the floor a first-words figure is read
 * against, the same calls to the same model at the same concurrency with nothing around them.
 */
export async function startBareClient() {
  const child = track(fork(PROCESS, [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' }))
  const [ready] = (await once(child, 'message')) as [{ kind: string }]
  if (ready.kind !== 'ready') throw new Error('bare model client did not start')
  return {
    /** Runs every chain at once against the model at `url` (`…/v1`). */
    async run(url: string, chains: ChatBody[][]): Promise<ChainTiming[]> {
      child.send({ url, chains } satisfies BareClientCommand)
      const [reply] = (await once(child, 'message')) as [Reply]
      if (reply.kind === 'failed') throw new Error(`bare model client: ${reply.message}`)
      return reply.timings
    },
    stop: () => stopChild(child),
  }
}
