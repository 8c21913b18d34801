import { once } from 'node:events'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** Past this many WAL pages (~40 MB) a commit checkpoints by itself, should the worker lag. */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000

/**
 * The worker: its own connection to the file, copying committed WAL pages back into the
 * database on a timer. PASSIVE never waits for, nor blocks, the writer.
 * Plain CommonJS passed as a string, so it runs the same from `src` (tests) and `dist`.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.path)
db.pragma('busy_timeout = 1000')
// A full disk fails every checkpoint, five times a second: only a change is reported.
let failing = false
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
    if (failing) parentPort.postMessage({ recovered: true })
    failing = false
  } catch (err) {
    if (!failing) parentPort.postMessage({ error: String(err && err.message || err) })
    failing = true
  }
}
const timer = setInterval(checkpoint, workerData.intervalMs)
parentPort.on('message', () => {
  clearInterval(timer)
  checkpoint()
  db.close()
  parentPort.close()
})
`

export interface WalCheckpointer {
  /** Stops the worker after a last checkpoint; the caller then closes its own connection. */
  stop(): Promise<void>
}

/**
 * Moves WAL checkpoints off the event loop.
 *
 * With WAL and `synchronous = NORMAL`, commits never fsync, but the automatic checkpoint
 * that a commit runs every 1,000 pages copies pages into the database and fsyncs it, on the
 * event loop: measured, it doubled the SQLite cost of creating a job (95 → 55 µs with it
 * elsewhere). A worker thread with a second connection does it instead; the writer's own
 * automatic checkpoint stays as a fallback at `FALLBACK_AUTOCHECKPOINT_PAGES`.
 */
export function startWalCheckpointer(
  path: string,
  options: {
    intervalMs?: number
    /** Hears the first failure of a run of failed checkpoints (not each of them). */
    onError?: (message: string) => void
    /** Hears the first checkpoint that works again after failures. */
    onRecovered?: () => void
  } = {},
): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, driver, intervalMs: options.intervalMs ?? 200 },
  })
  worker.unref()
  worker.on('message', (message: { error?: string; recovered?: boolean }) => {
    if (message.error) options.onError?.(message.error)
    if (message.recovered) options.onRecovered?.()
  })
  worker.on('error', (err) => options.onError?.(err.message))
  const exited = once(worker, 'exit')
  return {
    async stop() {
      // Unref'd, the worker would not keep the process alive while it finishes: a process
      // with nothing else left to do would exit here, before the caller's last steps.
      worker.ref()
      worker.postMessage('stop')
      await exited
    },
  }
}
