import type { Usage } from '@inkflow/shared'

const tokens = new Intl.NumberFormat('en')
const cents = new Intl.NumberFormat('en', { style: 'currency', currency: 'USD' })
/** Under a cent, two significant digits: "$0.0012" says more than "$0.00". */
const fractions = new Intl.NumberFormat('en', {
  style: 'currency',
  currency: 'USD',
  maximumSignificantDigits: 2,
})

/**
 * What an article cost, in words for its page: "12,345 tokens (estimated) · $0.0042". The
 * tokens are "estimated" when a model call reported none and they were counted on our side;
 * the cost is there only when the server has prices.
 */
export function usageSummary(usage: Usage): string {
  const count = `${tokens.format(usage.totalTokens)} tokens${usage.estimated ? ' (estimated)' : ''}`
  if (usage.cost === undefined) return count
  const cost = usage.cost > 0 && usage.cost < 0.01 ? fractions : cents
  return `${count} · ${cost.format(usage.cost)}`
}
