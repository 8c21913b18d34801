/** A module loaded on first use and kept; see `lazyModule`. */
export interface LazyModule<T> {
  /** The module once it has loaded, else null. */
  readonly current: T | null
  /** Whether the last load failed (the next `load()` tries again). */
  readonly failed: boolean
  load(): void
}

/**
 * A module for a part of a page that most visits never show, loaded by `load()` (once) and
 * kept: it stays out of the first load. Its state is reactive.
 */
export function lazyModule<T>(importer: () => Promise<T>): LazyModule<T> {
  let current: T | null = $state(null)
  let failed = $state(false)
  let loading = false
  return {
    get current() {
      return current
    },
    get failed() {
      return failed
    },
    load() {
      if (loading) return
      loading = true
      importer().then(
        (value) => {
          current = value
          failed = false
        },
        () => {
          loading = false
          failed = true
        },
      )
    },
  }
}
