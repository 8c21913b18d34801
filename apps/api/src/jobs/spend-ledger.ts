/**
 * Model tokens spent per client per UTC day: what the daily budget (`DAILY_TOKENS_PER_CLIENT`)
 * is checked against. Kept in the store, so in `redis` mode every instance and worker sees
 * the same totals.
 *
 * The contract (`test/store/spend-ledger.contract.ts`, run against every adapter):
 * - `attribute` says whose a job's spend is; it is set once, when the job is created, before
 *   it can run. A job never attributed (stored by an older version) is spent by nobody.
 * - `add` counts tokens against the job's client, on the UTC day of `at`; adds from several
 *   processes at once all count.
 * - `spent` is a client's total for the UTC day of `at`; a new day starts at 0.
 *   `spentByClientOf` is the same total, found from one of the client's jobs.
 * - Days older than yesterday and attributions older than a week may be forgotten.
 *
 * Not in the contract: reserving tokens ahead of a call. A job checks its client's total before
 * the first model call of each run (`job-token-meter.ts`: its first run, a resumption, the
 * run after its outline was approved), so a client passes its budget by at most the runs
 * already going when it crossed it (each within `JOB_TOKEN_LIMIT`).
 */
export interface SpendLedger {
  attribute(jobId: string, client: string): Promise<void>
  add(jobId: string, tokens: number, at?: Date): Promise<void>
  spent(client: string, at?: Date): Promise<number>
  /** What the client of `jobId` spent on the UTC day of `at`; 0 for a job with no client. */
  spentByClientOf(jobId: string, at?: Date): Promise<number>
}

/** `2026-12-01`: the UTC day a spend counts on. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10)

/** When the UTC day of `at` ends, and with it every daily budget. */
export function nextUtcMidnight(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1))
}

/** How long spends and attributions are kept (see the contract). */
export const SPEND_KEEP_DAYS = 2
export const ATTRIBUTION_KEEP_DAYS = 7
