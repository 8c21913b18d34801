import type { EventLog } from './event-log.js'
import type { JobStore } from './job-store.js'
import { createMemoryEventLog } from './memory/memory-event-log.js'
import { createMemoryJobStore } from './memory/memory-job-store.js'

export interface Storage {
  jobs: JobStore
  events: EventLog
  /** Which adapter family this is; `redis` also brings its own queue. */
  kind: 'memory' | 'sqlite' | 'redis'
  close(): Promise<void>
}

/** Opens the adapters named by `STORE_URL`: `memory`, `sqlite:<path>` or `redis://host:port`. */
export async function createStorage(storeUrl: string): Promise<Storage> {
  if (storeUrl === 'memory') {
    const jobs = createMemoryJobStore()
    const events = createMemoryEventLog()
    return { jobs, events, kind: 'memory', close: async () => {} }
  }
  throw new Error(`STORE_URL ${storeUrl} is not supported yet; use STORE_URL=memory`)
}
