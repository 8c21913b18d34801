/**
 * A `Storage` over a Map: what `localStorage` or `sessionStorage` keeps, as plain strings
 * (`String(value)`, as the browser stores them). `items` lets a test see what was kept.
 */
export function memoryStorage() {
  const items = new Map<string, string>()
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, String(value)),
    removeItem: (key: string) => void items.delete(key),
  }
}
