import { fileURLToPath } from 'node:url'
import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: {
    // Tests run the shared package from source, so they never see a stale build.
    alias: {
      '@inkflow/shared': fileURLToPath(
        new URL('../../packages/shared/src/index.ts', import.meta.url),
      ),
      '@inkflow/llm-stub': fileURLToPath(
        new URL('../../packages/llm-stub/src/index.ts', import.meta.url),
      ),
    },
  },
  test: {
    name: 'web',
    include: ['test/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
