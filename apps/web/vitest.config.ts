import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vitest/config'

/** svelte's browser entry: in Node its package exports pick the server one. */
const svelteClient = join(
  dirname(createRequire(import.meta.url).resolve('svelte/package.json')),
  'src/index-client.js',
)

// The Vite side of the web tests, extended by the `unit` project in the root vitest.config.ts
// (which lists the files and aliases). The SPA only ever runs in a browser, so its runes
// (`.svelte.ts`, and `.svelte.test.ts` files) are compiled for the client as in the build,
// with signals, deep proxies and effects, although the tests run in Node, whose
// transforms Vite would otherwise treat as server rendering.
export default defineConfig({
  plugins: [
    svelte({
      configFile: fileURLToPath(new URL('./svelte.config.js', import.meta.url)),
      dynamicCompileOptions: () => ({ generate: 'client' }),
    }),
  ],
  resolve: { alias: [{ find: /^svelte$/, replacement: svelteClient }] },
})
