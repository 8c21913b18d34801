/** The longest chain walked back: a guard against a loop of links, not a limit anyone meets. */
const MAX_VERSIONS = 100

/**
 * The versions of an article, oldest first (v1 is `[0]`), through `id`: back along each
 * version's `revisionOf` (`parentOf`), forward along the revisions this browser knows of
 * (`childrenOf`, newest first: where one version was revised twice, the newest goes on). A
 * link that leads back into the chain ends it.
 */
export function versionChain(
  id: string,
  parentOf: (id: string) => string | undefined,
  childrenOf: (id: string) => readonly string[],
): string[] {
  const chain = [id]
  const seen = new Set(chain)
  for (let p = parentOf(id); p && !seen.has(p) && seen.size < MAX_VERSIONS; p = parentOf(p)) {
    chain.unshift(p)
    seen.add(p)
  }
  for (let at = id; seen.size < MAX_VERSIONS; ) {
    const next = childrenOf(at).find((c) => !seen.has(c))
    if (!next) break
    chain.push(next)
    seen.add(next)
    at = next
  }
  return chain
}

/**
 * The `revisionOf` links from `id` back to the first version, asked one version at a time
 * (`lookup` answers a version's parent, `undefined` for the first or an unknown one).
 */
export async function parentLinks(
  id: string,
  lookup: (id: string) => Promise<string | undefined>,
): Promise<Map<string, string | undefined>> {
  const links = new Map<string, string | undefined>()
  for (let at: string | undefined = id; at && !links.has(at) && links.size < MAX_VERSIONS; ) {
    const parent: string | undefined = await lookup(at)
    links.set(at, parent)
    at = parent
  }
  return links
}
