/** What a caller passes of `Storage`; a stand-in may leave out what its module never calls. */
export type StorageLike = Partial<Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>>

/**
 * Storage as this app uses it, where a refusal is never an error: storage may be blocked
 * (private modes, cookies off), full, or absent (`undefined`). A refused read finds nothing;
 * a refused write or removal is not kept, and the page goes on with what it holds.
 */
export interface BrowserStorage {
  read(key: string): string | undefined
  /** What `key` holds, parsed as JSON; undefined when it holds nothing or no JSON. */
  readJson(key: string): unknown
  write(key: string, value: string): void
  remove(key: string): void
}

const attempt = <T>(act: () => T): T | undefined => {
  try {
    return act()
  } catch {
    return undefined
  }
}

export function browserStorage(storage: StorageLike | undefined): BrowserStorage {
  const read = (key: string) => attempt(() => storage?.getItem?.(key)) ?? undefined
  return {
    read,
    readJson(key) {
      const raw = read(key)
      return raw === undefined ? undefined : attempt(() => JSON.parse(raw))
    },
    write: (key, value) => void attempt(() => storage?.setItem?.(key, value)),
    remove: (key) => void attempt(() => storage?.removeItem?.(key)),
  }
}

/**
 * The page's `localStorage` or `sessionStorage`; undefined where there is none, or where the
 * browser blocks it (reading the property throws).
 */
export const pageStorage = (name: 'localStorage' | 'sessionStorage'): Storage | undefined =>
  attempt(() => globalThis[name])
