import type { ProgressEvent } from '@inkflow/shared'
import type { EventListener } from '../events/event-log.js'

/**
 * Per-job listener sets, shared by the adapters that notify in-process. A listener that
 * throws is isolated: it must not stop the append or the other listeners.
 */
export function createListenerRegistry(onListenerError: (err: unknown) => void = () => {}) {
  const byJob = new Map<string, Set<EventListener>>()
  return {
    add(jobId: string, listener: EventListener): () => void {
      const set = byJob.get(jobId) ?? new Set<EventListener>()
      byJob.set(jobId, set)
      set.add(listener)
      return () => {
        set.delete(listener)
        if (set.size === 0 && byJob.get(jobId) === set) byJob.delete(jobId)
      }
    },
    notify(event: ProgressEvent): void {
      const set = byJob.get(event.jobId)
      if (!set) return
      // Iterated in place: a listener that unsubscribes itself (or another) meanwhile is
      // fine for a Set, and copying it cost an array per event.
      for (const listener of set) {
        try {
          listener(event)
        } catch (err) {
          onListenerError(err)
        }
      }
    },
    has(jobId: string): boolean {
      return byJob.has(jobId)
    },
  }
}
