import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const NGINX = '/usr/sbin/nginx'
/** The config the README's deployment section shows. */
export const NGINX_CONF = fileURLToPath(
  new URL('../../../../deploy/nginx-inkflow.conf', import.meta.url),
)

/**
 * Whether the nginx tests run: they skip, saying why, without Debian's nginx; under `CI=true`
 * a missing nginx is a failure instead (`.ci/run` installs `nginx-light`).
 */
export function nginxForTests(what: string): boolean {
  if (existsSync(NGINX)) return true
  const hint = 'apt-get install nginx-light'
  if (process.env.CI === 'true') {
    throw new Error(`${what}: ${NGINX} is missing, and CI=true requires these tests (${hint})`)
  }
  console.warn(`\n  SKIPPED ${what}: ${NGINX} is missing (${hint})\n`)
  return false
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

export interface Nginx {
  url: string
  /** Stops nginx (SIGQUIT, then SIGKILL) and removes its directory. */
  stop(): Promise<void>
}

/**
 * Runs nginx in the foreground with the repo's config, in a directory of its own (pid, logs,
 * temp files): only its `listen` port and upstream `server` lines are replaced. It also adds
 * `X-Upstream` (the instance that answered), so a test can tell the instances apart.
 */
export async function startNginx(upstreams: string[]): Promise<Nginx> {
  const dir = await mkdtemp(join(tmpdir(), 'inkflow-nginx-'))
  const port = await freePort()
  const site = (await readFile(NGINX_CONF, 'utf8'))
    .replace(/^(\s*)server 127\.0\.0\.1:8787;\n(\s*server 127\.0\.0\.1:8788;\n)?/m, (_m, indent) =>
      upstreams.map((u) => `${indent}server ${u.replace(/^https?:\/\//, '')};\n`).join(''),
    )
    .replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${port};`)
  if (!site.includes(`listen 127.0.0.1:${port};`)) throw new Error('no listen line to replace')
  await writeFile(join(dir, 'inkflow.conf'), site)
  const main = [
    'daemon off;',
    'worker_processes 1;',
    // As root, nginx's workers would run as nobody, who may not write into this directory.
    ...(process.getuid?.() === 0 ? ['user root;'] : []),
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    'events { worker_connections 1024; }',
    'http {',
    `  access_log ${dir}/access.log;`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
      (t) => `  ${t}_temp_path ${dir}/${t};`,
    ),
    '  add_header X-Upstream $upstream_addr always;',
    `  include ${dir}/inkflow.conf;`,
    '}',
  ].join('\n')
  await writeFile(join(dir, 'nginx.conf'), main)
  const child: ChildProcess = spawn(
    NGINX,
    ['-p', dir, '-e', `${dir}/error.log`, '-c', `${dir}/nginx.conf`],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk) => {
    stderr += chunk
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGQUIT')
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
      await exited
      clearTimeout(timer)
    }
    await rm(dir, { recursive: true, force: true })
  }
  const until = Date.now() + 10_000
  for (;;) {
    if (child.exitCode !== null) {
      const log = await readFile(join(dir, 'error.log'), 'utf8').catch(() => '')
      await stop()
      throw new Error(`nginx exited (${child.exitCode}): ${stderr}${log}`)
    }
    const up = await fetch(`${url}/healthz`).then(
      (r) => r.status,
      () => 0,
    )
    if (up === 200) return { url, stop }
    if (Date.now() > until) {
      await stop()
      throw new Error(`nginx did not answer /healthz on ${url}: ${stderr}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}
