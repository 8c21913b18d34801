import { defineProject } from 'vitest/config'

// Only the harness's pure parts are tested here; the benchmark itself runs with `pnpm bench`.
export default defineProject({
  test: { name: 'bench', include: ['test/**/*.test.ts'] },
})
