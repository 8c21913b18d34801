import { fileURLToPath } from 'node:url'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vite'

/** Where `pnpm dev` finds the API (its default address). */
const DEV_API = 'http://127.0.0.1:8787'

export default defineConfig({
  plugins: [svelte()],
  // Relative asset URLs: the same build works at a CDN's root or under any path.
  base: './',
  resolve: {
    // The shared package's `default` export is its build; bundle its source instead.
    alias: {
      '@inkflow/shared': fileURLToPath(
        new URL('../../packages/shared/src/index.ts', import.meta.url),
      ),
    },
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
