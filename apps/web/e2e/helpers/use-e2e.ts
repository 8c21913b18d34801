import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { type E2e, type E2eOptions, startE2e } from './e2e-fixture.js'

/**
 * The e2e fixture for the describe it is called in: started before its tests, closed after
 * them. The pages a test opens are closed after it, and none may have thrown. `options` may
 * be a function, read when the fixture starts (after the describe's earlier `beforeAll`s).
 */
export function useE2e(options: E2eOptions | (() => E2eOptions) = {}): E2e {
  const e2e = {} as E2e
  beforeAll(async () => {
    Object.assign(e2e, await startE2e(typeof options === 'function' ? options() : options))
  }, 60_000)
  afterEach(async () => {
    expect(await e2e.closePages()).toEqual([])
  })
  afterAll(async () => {
    await e2e.close?.()
  })
  return e2e
}
