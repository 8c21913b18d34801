import { z } from 'zod/mini'

/** `config.json` beside `index.html`: deploy-time settings, so one build serves every environment. */
const RuntimeConfigSchema = z.object({ apiBaseUrl: z.optional(z.string()) })

export interface RuntimeConfig {
  /** The API's origin (and path prefix); `''` means the page's own origin. */
  apiBaseUrl: string
}

/**
 * Reads `config.json` next to the page. Absent, unreadable or not JSON (a dev server or CDN
 * that answers every path with `index.html`) means the API is on the same origin.
 */
export async function loadRuntimeConfig(
  base: string = document.baseURI,
  fetchImpl: typeof fetch = fetch,
): Promise<RuntimeConfig> {
  try {
    const response = await fetchImpl(new URL('config.json', base), { cache: 'no-cache' })
    if (!response.ok) return { apiBaseUrl: '' }
    const parsed = RuntimeConfigSchema.safeParse(await response.json())
    return { apiBaseUrl: parsed.success ? (parsed.data.apiBaseUrl?.trim() ?? '') : '' }
  } catch {
    return { apiBaseUrl: '' }
  }
}
