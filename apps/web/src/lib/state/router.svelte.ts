/** A page of the app. */
export type Route = { page: 'home' } | { page: 'job'; id: string } | { page: 'missing' }

/**
 * Hash routes (`#/jobs/<id>`): a CDN serves `index.html` for `/` only, so every deep link
 * must load that one file.
 */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/'
  if (path === '/') return { page: 'home' }
  const job = /^\/jobs\/([^/]+)$/.exec(path)
  if (job) return { page: 'job', id: decodeURIComponent(job[1]!) }
  return { page: 'missing' }
}

export const jobHref = (id: string) => `#/jobs/${encodeURIComponent(id)}`

/** The current route, following `hashchange`. */
export class Router {
  route: Route = $state(parseRoute(location.hash))

  constructor() {
    addEventListener('hashchange', () => {
      this.route = parseRoute(location.hash)
    })
  }

  go(href: string): void {
    location.hash = href.replace(/^#/, '')
  }
}
