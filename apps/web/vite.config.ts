import { fileURLToPath } from 'node:url'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vite'

/** Where `pnpm dev` finds the API (its default address). */
const DEV_API = 'http://127.0.0.1:8787'

const shared = (path: string) =>
  fileURLToPath(new URL(`../../packages/shared/src/${path}`, import.meta.url))

/** What Rolldown's chunking context tells of a module (its `ChunkingContext`, in part). */
interface ModuleGraph {
  getModuleInfo(id: string): {
    isEntry: boolean
    importers: readonly string[]
    dynamicImporters: readonly string[]
    importedIds: readonly string[]
  } | null
}

/**
 * Names `'index'` every module the page's entry imports statically, so the first load is one
 * chunk and each lazy chunk imports what it shares with it from there. Left to itself,
 * Rolldown moves the modules an entry shares with a lazy chunk (the Svelte runtime, the
 * schemas) into other chunks the first load must also fetch (rolldown/rolldown#10731): with
 * the options and the outline review lazy, 41,431 B gzipped in three files instead of 39,875 B
 * in one (measured at the commit that brought this).
 */
function firstLoad(): (id: string, ctx: ModuleGraph) => string | null {
  let reached: Set<string> | undefined
  return (id, ctx) => {
    if (!reached) {
      reached = new Set()
      const entries = [id, ...(ctx.getModuleInfo(id)?.importers ?? [])]
      // Walk up to the entries from any module, then down along static imports only.
      const queue: string[] = []
      const seen = new Set<string>()
      while (entries.length > 0) {
        const next = entries.pop() as string
        if (seen.has(next)) continue
        seen.add(next)
        const info = ctx.getModuleInfo(next)
        if (info?.isEntry) queue.push(next)
        entries.push(...(info?.importers ?? []), ...(info?.dynamicImporters ?? []))
      }
      while (queue.length > 0) {
        const next = queue.pop() as string
        if (reached.has(next)) continue
        reached.add(next)
        queue.push(...(ctx.getModuleInfo(next)?.importedIds ?? []))
      }
    }
    return reached.has(id) ? 'index' : null
  }
}

export default defineConfig({
  plugins: [svelte()],
  // Relative asset URLs: the same build works at a CDN's root or under any path.
  base: './',
  resolve: {
    // The shared package's `default` exports are its build; bundle its source instead. Exact
    // matches: a plain '@inkflow/shared' key would also catch '@inkflow/shared/mini'.
    alias: [
      { find: /^@inkflow\/shared$/, replacement: shared('index.ts') },
      { find: /^@inkflow\/shared\/mini$/, replacement: shared('mini/index.ts') },
    ],
  },
  build: {
    target: 'es2022',
    // Hashed names (Vite's default) let a CDN cache assets forever; index.html stays short-lived.
    assetsDir: 'assets',
    sourcemap: true,
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: firstLoad() }] } } },
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: DEV_API, changeOrigin: false } },
  },
})
