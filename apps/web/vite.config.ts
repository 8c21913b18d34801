import { fileURLToPath } from 'node:url'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vite'

/** Where `pnpm dev` finds the API (its default address). */
const DEV_API = 'http://127.0.0.1:8787'

const shared = (path: string) =>
  fileURLToPath(new URL(`../../packages/shared/src/${path}`, import.meta.url))

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
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: DEV_API, changeOrigin: false } },
  },
})
