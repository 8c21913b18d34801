/**
 * What `JobSession` uses of `window` beyond `browser-globals.ts`: `sessionStorage`, and
 * `addEventListener` on the global object (`pagehide`, `online`, `offline`). Node 20 has
 * neither. Each is installed only where missing, so a runtime that has them keeps its own.
 */

/** `Storage` in memory, as one tab's `sessionStorage` behaves. */
export class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>()
  get length(): number {
    return this.#items.size
  }
  clear(): void {
    this.#items.clear()
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null
  }
  removeItem(key: string): void {
    this.#items.delete(key)
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, String(value))
  }
}

const g = globalThis as Record<string, unknown>
if (typeof g.sessionStorage === 'undefined') g.sessionStorage = new MemoryStorage()
if (typeof g.addEventListener !== 'function') {
  const target = new EventTarget()
  g.addEventListener = target.addEventListener.bind(target)
  g.removeEventListener = target.removeEventListener.bind(target)
  g.dispatchEvent = target.dispatchEvent.bind(target)
}
