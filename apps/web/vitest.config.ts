import { fileURLToPath } from 'node:url'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vitest/config'

// The Vite side of the web tests, extended by the `unit` project in the root vitest.config.ts
// (which lists the files and aliases): the svelte plugin compiles the runes of `.svelte.ts`.
export default defineConfig({
  plugins: [
    svelte({ configFile: fileURLToPath(new URL('./svelte.config.js', import.meta.url)) }),
  ],
})
