/**
 * A load-generator process: POSTs jobs and opens the SSE streams the harness asks for, and
 * reports what they received, with its own CPU time, so a run shows whether the client kept up.
 * Driven over the IPC channel of `child_process.fork` (see `load-workers.ts`).
 */
import { postAtOnce, type RawPostOptions } from './raw-posts.js'
import { createReaderPool, type ReaderPoolOptions } from './reader-pool.js'

export type WorkerCommand =
  | { cmd: 'post'; options: RawPostOptions }
  | { cmd: 'open'; options: ReaderPoolOptions }
  | { cmd: 'wait'; timeoutMs: number }
  | { cmd: 'report' }
  | { cmd: 'close' }

let pool: ReturnType<typeof createReaderPool> | undefined
let cpuAtOpen = process.cpuUsage()

const reply = (message: object) => process.send?.(message)
const usage = () => {
  const cpu = process.cpuUsage(cpuAtOpen)
  return { cpuMs: (cpu.user + cpu.system) / 1000, rssBytes: process.memoryUsage.rss() }
}

process.on('message', async (message: WorkerCommand) => {
  switch (message.cmd) {
    case 'post':
      reply({ kind: 'posted', jobs: await postAtOnce(message.options) })
      break
    case 'open': {
      cpuAtOpen = process.cpuUsage()
      pool = createReaderPool(message.options)
      const ms = await pool.open()
      reply({ kind: 'opened', ms, open: pool.openCount })
      break
    }
    case 'wait':
      await pool?.waitAll(message.timeoutMs)
      reply({ kind: 'report', report: pool?.report(), ...usage() })
      break
    case 'report':
      reply({ kind: 'report', report: pool?.report(), open: pool?.openCount, ...usage() })
      break
    case 'close':
      pool?.closeAll()
      reply({ kind: 'closed' })
      break
  }
})
// The harness going away (even by SIGKILL) closes the channel: leave with it.
process.on('disconnect', () => process.exit(0))
reply({ kind: 'ready' })
