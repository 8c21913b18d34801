import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
/** The image the container tests build from the repository's Dockerfile. */
export const IMAGE = 'localhost/inkflow:test'
/** As root on these machines: runc, and cgroups without systemd. */
const GLOBAL = ['--runtime', 'runc', '--cgroup-manager', 'cgroupfs']
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt'

/**
 * Whether the container tests run: they skip, saying why, without podman; under `CI=true` a
 * missing podman is a failure instead (`.ci/run` installs podman, buildah, runc, mmdebstrap
 * and podman-compose).
 */
export function podmanForTests(what: string): boolean {
  if (spawnSync('podman', ['--version']).status === 0) return true
  const hint = 'apt-get install podman buildah runc mmdebstrap podman-compose'
  if (process.env.CI === 'true') {
    throw new Error(`${what}: podman is missing, and CI=true requires these tests (${hint})`)
  }
  console.warn(`\n  SKIPPED ${what}: podman is missing (${hint})\n`)
  return false
}

/** Runs a command to its end; fails with its output unless it exits 0. Returns stdout. */
export function run(file: string, args: string[], env: Record<string, string> = {}): string {
  const result = spawnSync(file, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 256 * 1024 * 1024,
  })
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.slice(-6000)
    throw new Error(`${file} ${args.join(' ')} exited ${result.status}:\n${output}`)
  }
  return result.stdout
}

/** `podman <args>` with this machine's global options. */
export const podman = (args: string[]) => run('podman', [...GLOBAL, ...args]).trim()

export interface BuiltImage {
  seconds: number
  megabytes: number
}

/**
 * Builds the Dockerfile as `IMAGE`, on base images assembled from Debian packages (no image
 * registry is reachable here; `.ci/container-bases.sh` makes and caches them). The build
 * fetches packages from the npm registry over the host's network, trusting this machine's CA
 * bundle through a read-only mount that never becomes part of the image. Layers are cached,
 * so a second build of unchanged sources takes seconds.
 */
export function buildImage(): BuiltImage {
  run('bash', ['.ci/container-bases.sh'])
  const started = performance.now()
  const ca = existsSync(CA_BUNDLE)
    ? [
        '--volume',
        '/etc/ssl/certs:/etc/ssl/certs:ro',
        '--build-arg',
        `NODE_EXTRA_CA_CERTS=${CA_BUNDLE}`,
      ]
    : []
  podman([
    'build',
    '--format',
    'docker',
    '--layers',
    '--network',
    'host',
    ...ca,
    '--build-arg',
    'BUILD_IMAGE=localhost/inkflow-ci/node:20',
    '--build-arg',
    'RUNTIME_IMAGE=localhost/inkflow-ci/node:20-slim',
    '--tag',
    IMAGE,
    ROOT,
  ])
  const seconds = (performance.now() - started) / 1000
  const bytes = Number(podman(['image', 'inspect', '--format', '{{.Size}}', IMAGE]))
  const megabytes = Math.round(bytes / 1e6)
  console.info(`built ${IMAGE} in ${seconds.toFixed(0)} s: ${megabytes} MB`)
  return { seconds, megabytes }
}

/** Polls `GET <url>/readyz` until it answers 200; fails after `ms` (default 60 s). */
export async function waitReady(url: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms
  for (;;) {
    const ok = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
      (res) => res.ok,
      () => false,
    )
    if (ok) return
    if (Date.now() > until) throw new Error(`${url}/readyz did not answer 200 within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** Starts a job on the API at `url`; returns its id. */
export async function postJob(url: string, topic: string): Promise<string> {
  const res = await fetch(`${url}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ topic }),
  })
  expect(res.status).toBe(202)
  return ((await res.json()) as { id: string }).id
}
