import { afterEach, describe, expect, it } from 'vitest'
import { browserStorage, pageStorage } from '../src/lib/api/browser-storage.js'
import { memoryStorage } from './helpers/memory-storage.js'

const refusing = {
  getItem: () => {
    throw new DOMException('blocked', 'SecurityError')
  },
  setItem: () => {
    throw new DOMException('full', 'QuotaExceededError')
  },
  removeItem: () => {
    throw new DOMException('blocked', 'SecurityError')
  },
}

describe('browserStorage', () => {
  it('reads what was written, and JSON only where it is JSON', () => {
    const kept = browserStorage(memoryStorage())
    kept.write('a', '{"n":1}')
    kept.write('b', 'not json')
    expect(kept.read('a')).toBe('{"n":1}')
    expect(kept.readJson('a')).toEqual({ n: 1 })
    expect(kept.readJson('b')).toBeUndefined()
    kept.remove('a')
    expect(kept.read('a')).toBeUndefined()
  })

  it('finds nothing and throws nothing where storage refuses or is absent', () => {
    for (const kept of [browserStorage(refusing), browserStorage(undefined)]) {
      expect(() => kept.write('a', '1')).not.toThrow()
      expect(() => kept.remove('a')).not.toThrow()
      expect(kept.read('a')).toBeUndefined()
      expect(kept.readJson('a')).toBeUndefined()
    }
  })
})

describe('pageStorage', () => {
  // Node has no sessionStorage; each test lends one, and the global is put back after it.
  const original = Object.getOwnPropertyDescriptor(globalThis, 'sessionStorage')
  afterEach(() => {
    Reflect.deleteProperty(globalThis, 'sessionStorage')
    if (original) Object.defineProperty(globalThis, 'sessionStorage', original)
  })

  it('is undefined where the browser blocks the storage (reading it throws)', () => {
    Object.defineProperty(globalThis, 'sessionStorage', {
      configurable: true,
      get() {
        throw new DOMException('blocked', 'SecurityError')
      },
    })
    expect(pageStorage('sessionStorage')).toBeUndefined()
  })

  it('is the page’s storage where there is one', () => {
    const storage = {} as Storage
    Object.defineProperty(globalThis, 'sessionStorage', { configurable: true, value: storage })
    expect(pageStorage('sessionStorage')).toBe(storage)
  })
})
