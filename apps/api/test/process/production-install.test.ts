import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type LlmStub, startLlmStub } from '@inkflow/llm-stub'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readStream } from '../helpers/sse-reader.js'
import { type ApiProcess, spawnApi, stopApi } from './spawn-api.js'

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

/** pnpm as the test runner was started by it (`pnpm test`), else the one on PATH. */
function pnpm(args: string[]) {
  const execPath = process.env.npm_execpath
  const [file, argv] =
    execPath && /pnpm/.test(execPath) ? [process.execPath, [execPath, ...args]] : ['pnpm', args]
  return execFileSync(file, argv, { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' })
}

/** Every package the built code imports by name (`from 'x'`, `import('x')`), builtins aside. */
function importedPackages(dist: string): string[] {
  const names = new Set<string>()
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)'([^'./][^']*)'/g
  for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.js')) continue
    for (const [, spec] of readFileSync(join(dist, file), 'utf8').matchAll(pattern)) {
      if (spec && !isBuiltin(spec)) names.add(spec)
    }
  }
  return [...names].sort()
}

// `pnpm deploy --prod` as docs/deploy.md gives it, then plain `node dist/main.js`: nothing of
// the workspace (its devDependencies, its links, vitest's aliases) is there to hide a
// dependency the code needs at run time but the manifest lists for development only.
describe('the production install (pnpm deploy --prod, started with plain node)', () => {
  let dir: string
  let app: string
  let stub: LlmStub | undefined
  let api: ApiProcess | undefined

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'inkflow-prod-'))
    app = join(dir, 'app')
    pnpm(['--filter', '@inkflow/api', 'deploy', '--prod', app])
  }, 120_000)

  afterAll(async () => {
    await stopApi(api)
    await stub?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('holds the dependencies of the manifest and no development package', () => {
    const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
    }
    const installed = readdirSync(join(app, 'node_modules'))
      .filter((name) => !name.startsWith('.'))
      .flatMap((name) =>
        name.startsWith('@')
          ? readdirSync(join(app, 'node_modules', name)).map((sub) => `${name}/${sub}`)
          : [name],
      )
      .sort()
    expect(installed).toEqual(Object.keys(manifest.dependencies).sort())
  })

  it('resolves every package the built code imports', () => {
    const packages = importedPackages(join(app, 'dist'))
    expect(packages.length).toBeGreaterThan(10)
    expect(packages).toContain('eventsource-parser')
    // Loaded by a script inside the install, so resolution starts from its node_modules.
    const probe = join(app, 'import-probe.mjs')
    writeFileSync(
      probe,
      `for (const name of ${JSON.stringify(packages)}) await import(name)\nconsole.log('ok')\n`,
    )
    try {
      expect(execFileSync(process.execPath, [probe], { encoding: 'utf8' }).trim()).toBe('ok')
    } finally {
      rmSync(probe)
    }
  })

  it.each([
    ['openai', true],
    ['demo', false],
  ] as const)(
    'writes an article to job.completed with the %s provider',
    async (provider, useStub) => {
      if (useStub) stub ??= await startLlmStub()
      api = await spawnApi(
        {
          STORE_URL: `sqlite:${join(dir, `${provider}.db`)}`,
          HOST: '127.0.0.1',
          PORT: '0',
          LLM_PROVIDER: provider,
          DEMO_TOKEN_DELAY_MS: '0',
          ...(useStub && stub ? { OPENAI_API_KEY: 'x', OPENAI_BASE_URL: stub.url } : {}),
        },
        15_000,
        join(app, 'dist', 'main.js'),
      )
      const res = await fetch(`${api.baseUrl}/api/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ topic: `a production install (${provider})` }),
      })
      expect(res.status).toBe(202)
      const { id } = (await res.json()) as { id: string }
      const run = await readStream(`${api.baseUrl}/api/jobs/${id}/events`)
      const last = run.events.at(-1)
      expect(last?.type, `${JSON.stringify(last)}\n${api.output()}`).toBe('job.completed')
      if (useStub) expect(stub?.requests.length).toBeGreaterThanOrEqual(3)
      // The graceful stop runs to its end, the store closed, before the process exits.
      const stopped = api
      api = undefined
      await stopApi(stopped, 'SIGTERM')
      expect(await stopped.exited).toEqual({ code: 0, signal: null })
      expect(stopped.output()).toMatch(/"msg":"stopped"/)
    },
  )
})
