import { isIP } from 'node:net'

/**
 * Which peers may say, in `X-Forwarded-For`, whom they forward for: Express's `trust proxy`.
 * `false` trusts nobody (the socket's peer is the client); a number trusts that many hops
 * from the socket inwards; a list trusts those addresses, CIDRs and named ranges only.
 */
export type TrustProxy = false | number | string[]

/** Express's names for address ranges (`proxy-addr`). */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal'])

/** One trusted entry: a named range, an address, or a CIDR with a prefix that fits its family. */
function validEntry(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true
  const [address = '', prefix, ...rest] = entry.split('/')
  const family = isIP(address)
  if (family === 0 || rest.length > 0) return false
  if (prefix === undefined) return true
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)
}

/**
 * Parses `TRUST_PROXY`: empty, `false`, `off` or `0` trust nobody; `1`–`32` is a hop count;
 * otherwise a comma-separated list of addresses, CIDRs or `loopback` / `linklocal` /
 * `uniquelocal`. `true` is refused: it trusts every peer, so anyone reaching the API directly
 * could pick the address its limits count against. Returns an error message when invalid.
 */
export function parseTrustProxy(text: string | undefined): TrustProxy | { error: string } {
  const value = text?.trim().toLowerCase() ?? ''
  if (value === '' || value === 'false' || value === 'off' || value === '0') return false
  if (value === 'true') {
    return {
      error:
        'true would trust every peer, so any client could pick its own address; give the number of proxies in front (e.g. 1) or their addresses',
    }
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value)
    return hops <= 32 ? hops : { error: 'a hop count must be 1-32' }
  }
  const entries = value.split(',').map((e) => e.trim())
  const bad = entries.filter((e) => !validEntry(e))
  if (bad.length > 0) {
    return {
      error: `not an address, CIDR or loopback/linklocal/uniquelocal: ${bad.map((b) => JSON.stringify(b)).join(', ')}`,
    }
  }
  return entries
}
