import { defineConfig } from 'vitest/config'

// One run over every package, so the whole repo prints one summary.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'bench'],
  },
})
