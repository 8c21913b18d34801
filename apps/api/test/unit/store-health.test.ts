import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { StoreOutageError } from '../../src/events/event-log.js'
import { createStoreHealth } from '../../src/jobs/store-health.js'
import { waitOutStoreFaults } from '../../src/jobs/store-retry.js'

class Busy extends Error {
  readonly code = 'SQLITE_BUSY'
}

function healthWithLog(outageTimeoutMs = 10_000) {
  const lines: { level: number; msg: string }[] = []
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) })
  const health = createStoreHealth({
    isTransient: (err) => err instanceof Busy,
    outageTimeoutMs,
    logger,
  })
  return { health, lines }
}

describe('the store health and waiting out a fault', () => {
  it('logs one warning for an outage however many writers retry, and one line when it is over', async () => {
    const { health, lines } = healthWithLog()
    let failures = 5
    const writes = Array.from({ length: 4 }, () =>
      waitOutStoreFaults(
        async () => {
          if (failures-- > 0) throw new Busy('database is locked')
          return 'written'
        },
        { health, timeoutMs: 10_000 },
      ),
    )
    await new Promise((r) => setTimeout(r, 10)) // the first tries have failed; none retried yet
    expect(health.writable).toBe(false)
    expect(await Promise.all(writes)).toEqual(['written', 'written', 'written', 'written'])
    expect(health.writable).toBe(true)
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [40, 'the store takes no writes; jobs wait it out'],
      [30, 'the store takes writes again'],
    ])
  })

  it('gives up past the timeout with StoreOutageError, and rethrows other errors at once', async () => {
    const { health } = healthWithLog()
    let tries = 0
    const stuck = waitOutStoreFaults(
      async () => {
        tries++
        throw new Busy('database is locked')
      },
      { health, timeoutMs: 200 },
    )
    await expect(stuck).rejects.toBeInstanceOf(StoreOutageError)
    expect(tries).toBeGreaterThan(1)
    const broken = waitOutStoreFaults(
      async () => {
        throw new TypeError('a bug')
      },
      { health, timeoutMs: 10_000 },
    )
    await expect(broken).rejects.toBeInstanceOf(TypeError)
  })

  it('stops waiting when the run is aborted', async () => {
    const { health } = healthWithLog()
    const controller = new AbortController()
    const waiting = waitOutStoreFaults(
      async () => {
        throw new Busy('database is locked')
      },
      { health, timeoutMs: 10_000, signal: controller.signal },
    )
    controller.abort(new Error('shutting down'))
    await expect(waiting).rejects.toThrow('shutting down')
  })
})
