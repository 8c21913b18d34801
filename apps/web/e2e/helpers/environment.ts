import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type ApiProcess, spawnApi } from './api-process.js'
import { type SpaServer, serveSpa } from './static-server.js'

const DIST = fileURLToPath(new URL('../../dist', import.meta.url))

/** The built SPA on one origin and the built API on another, as in production. */
export interface Environment {
  spa: SpaServer
  api: ApiProcess
  close(): Promise<void>
}

export async function startEnvironment(apiEnv: Record<string, string>): Promise<Environment> {
  if (!existsSync(`${DIST}/index.html`)) {
    throw new Error(
      `${DIST} is missing: run \`pnpm build\` at the repo root before the browser tests`,
    )
  }
  const spa = await serveSpa(DIST)
  // The API allows the SPA's origin only: every call the page makes is a real CORS request.
  const api = await spawnApi({ ...apiEnv, CORS_ORIGINS: spa.origin }).catch(async (error) => {
    await spa.close()
    throw error
  })
  spa.setConfig({ apiBaseUrl: api.baseUrl })
  return {
    spa,
    api,
    async close() {
      await api.stop()
      await spa.close()
    },
  }
}
