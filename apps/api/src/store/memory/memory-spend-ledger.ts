import { type SpendLedger, utcDay } from '../../jobs/spend-ledger.js'

/** The spend ledger in maps, for one process (`memory` mode and tests). */
export function createMemorySpendLedger(): SpendLedger {
  const clients = new Map<string, string>()
  const totals = new Map<string, number>()
  const key = (client: string, at: Date) => `${utcDay(at)} ${client}`
  return {
    async attribute(jobId, client) {
      clients.set(jobId, client)
    },
    async add(jobId, tokens, at = new Date()) {
      const client = clients.get(jobId)
      if (client === undefined || tokens <= 0) return
      const k = key(client, at)
      totals.set(k, (totals.get(k) ?? 0) + tokens)
    },
    async spent(client, at = new Date()) {
      return totals.get(key(client, at)) ?? 0
    },
    async spentByClientOf(jobId, at = new Date()) {
      const client = clients.get(jobId)
      return client === undefined ? 0 : (totals.get(key(client, at)) ?? 0)
    },
  }
}
