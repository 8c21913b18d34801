import { beforeEach, describe, expect, it } from 'vitest'
import type { SpendLedger } from '../../src/jobs/spend-ledger.js'

const NOON = new Date('2026-12-01T12:00:00Z')
const LATE = new Date('2026-12-01T23:59:59.999Z')
const NEXT_DAY = new Date('2026-12-02T00:00:00Z')

/** The spend ledger's contract (`jobs/spend-ledger.ts`), run against every adapter. */
export function describeSpendLedgerContract(name: string, open: () => Promise<SpendLedger>) {
  describe(`${name} spend ledger`, () => {
    let ledger: SpendLedger
    beforeEach(async () => {
      ledger = await open()
    })

    it('counts a job’s tokens against its client, per UTC day', async () => {
      await ledger.attribute('job-1', '203.0.113.1')
      await ledger.add('job-1', 100, NOON)
      await ledger.add('job-1', 50, LATE)
      await ledger.add('job-1', 7, NEXT_DAY)
      expect(await ledger.spent('203.0.113.1', NOON)).toBe(150)
      expect(await ledger.spent('203.0.113.1', NEXT_DAY)).toBe(7)
    })

    it('keeps clients apart and sums a client’s jobs', async () => {
      await ledger.attribute('job-a1', 'a')
      await ledger.attribute('job-a2', 'a')
      await ledger.attribute('job-b', 'b')
      await ledger.add('job-a1', 10, NOON)
      await ledger.add('job-a2', 20, NOON)
      await ledger.add('job-b', 5, NOON)
      expect(await ledger.spent('a', NOON)).toBe(30)
      expect(await ledger.spent('b', NOON)).toBe(5)
      expect(await ledger.spent('c', NOON)).toBe(0)
    })

    it('finds a client’s total from any of its jobs', async () => {
      await ledger.attribute('job-1', 'a')
      await ledger.attribute('job-2', 'a')
      await ledger.add('job-1', 40, NOON)
      expect(await ledger.spentByClientOf('job-2', NOON)).toBe(40)
      expect(await ledger.spentByClientOf('job-2', NEXT_DAY)).toBe(0)
      expect(await ledger.spentByClientOf('no-such-job', NOON)).toBe(0)
    })

    it('counts every one of many adds made at once', async () => {
      await ledger.attribute('job-1', '2001:db8::/56')
      await Promise.all(Array.from({ length: 50 }, () => ledger.add('job-1', 3, NOON)))
      expect(await ledger.spent('2001:db8::/56', NOON)).toBe(150)
    })

    it('spends nothing for a job that has no client', async () => {
      await ledger.add('unknown-job', 100, NOON)
      await ledger.attribute('job-1', 'a')
      await ledger.add('job-1', 0, NOON)
      expect(await ledger.spent('a', NOON)).toBe(0)
    })

    it('counts today’s spend when no time is given', async () => {
      await ledger.attribute('job-1', 'a')
      await ledger.add('job-1', 42)
      expect(await ledger.spent('a')).toBe(42)
    })
  })
}
