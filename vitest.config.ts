import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// Tests run the workspace packages from source, so they never see a stale build.
const alias = {
  '@inkflow/shared': fromRoot('./packages/shared/src/index.ts'),
  '@inkflow/llm-stub': fromRoot('./packages/llm-stub/src/index.ts'),
}

const API = 'apps/api/test'

/**
 * Files at once for the fast projects. Their tests mostly wait on sockets and timers, so even
 * 2 cores keep 3 busy; vitest's default (cores - 1) would run them one at a time there.
 */
const PARALLEL = Math.max(3, availableParallelism())

/**
 * One run over every package, split by what a test needs rather than where it lives:
 *
 * - unit: no sockets, files or processes of its own (beyond a local stub server); fast.
 * - integration: the API in-process on port 0, real SQLite files and the local Redis.
 * - process: spawned `dist/main.js` processes (restarts, the redis cluster); needs a build.
 * - perf-guard: tests that guard an optimisation (write counts, batching, shared frames);
 *   they fail when a change makes something slower, not wrong. Their describes say so.
 * - e2e: the built SPA in Chromium against a spawned API; needs a build.
 * - container: the Dockerfile built and run with podman, and compose.yaml; slow (an image
 *   build), so its hooks may take minutes. The image's layers are cached between runs.
 *
 * unit and integration run together, PARALLEL files at once, and without a module graph of
 * their own per file (`isolate: false`): importing Express, the SDK and SQLite anew for every
 * file was half of `pnpm test:fast` (60.9 s isolated, 32 s not, on a 2-core machine). It is
 * safe because the app keeps no state in modules (each test builds its own app, store and
 * log); a test that changes something global (fake timers) puts it back in its `afterEach`. perf-guard, process, e2e and container
 * then run one file at a time (maxWorkers 1 puts them in vitest's sequential group), so that
 * spawned processes, Chromium and counted writes do not compete with other files.
 *
 * `vitest run --project unit --project integration` is `pnpm test:fast`.
 */
export default defineConfig({
  test: {
    projects: [
      {
        // The web config brings the svelte plugin, which `.svelte.ts` runes need.
        extends: './apps/web/vitest.config.ts',
        resolve: { alias },
        test: {
          name: 'unit',
          maxWorkers: PARALLEL,
          isolate: false,
          include: [
            `${API}/unit/**/*.test.ts`,
            'apps/web/test/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
            'bench/test/**/*.test.ts',
          ],
          testTimeout: 10_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          maxWorkers: PARALLEL,
          isolate: false,
          include: [`${API}/integration/**/*.test.ts`, `${API}/store/**/*.test.ts`],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'process',
          maxWorkers: 1,
          include: [`${API}/process/**/*.test.ts`, `${API}/redis-cluster/**/*.test.ts`],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'perf-guard',
          maxWorkers: 1,
          include: [`${API}/perf-guard/**/*.test.ts`],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          maxWorkers: 1,
          include: ['apps/web/e2e/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'container',
          maxWorkers: 1,
          include: [`${API}/container/**/*.test.ts`],
          testTimeout: 180_000,
          hookTimeout: 30 * 60_000,
        },
      },
    ],
  },
})
