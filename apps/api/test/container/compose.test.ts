import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import type { ProgressEvent } from '@inkflow/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readStream } from '../helpers/sse-reader.js'
import { freePort } from '../process/nginx.js'
import { waitUntil } from '../process/wait-until.js'
import { buildImage, IMAGE, podman, podmanForTests, postJob, run, waitReady } from './podman.js'

const enabled = podmanForTests('the compose.yaml tests')
const seqs = (events: ProgressEvent[]) => events.map((e) => e.seq)

// compose.yaml as it is, run by Debian's podman-compose: Redis, two API instances, a worker
// and nginx with the SPA. Only the images (local equivalents of the public ones, since no
// registry is reachable here) and the published port are set from outside.
describe.runIf(enabled)('compose.yaml (redis mode behind nginx)', () => {
  const project = `inkflow-test-${randomUUID().slice(0, 8)}`
  let url: string
  let env: Record<string, string>

  const compose = (args: string[]) => run('podman-compose', ['-p', project, ...args], env)
  const container = (service: string) => `${project}_${service}_1`

  /** Open event streams on one API instance, read from its own /metrics. */
  function openStreams(service: string): number {
    const script =
      "fetch('http://127.0.0.1:8787/metrics').then((r) => r.text()).then((t) => console.log(t))"
    const metrics = podman(['exec', container(service), 'node', '-e', script])
    const match = /^inkflow_open_streams (\d+)/m.exec(metrics)
    if (!match) throw new Error(`no inkflow_open_streams on ${service}`)
    return Number(match[1])
  }

  beforeAll(async () => {
    buildImage()
    const port = await freePort()
    env = {
      INKFLOW_IMAGE: IMAGE,
      REDIS_IMAGE: 'localhost/inkflow-ci/services',
      NGINX_IMAGE: 'localhost/inkflow-ci/services',
      INKFLOW_LISTEN: `127.0.0.1:${port}`,
      DEMO_TOKEN_DELAY_MS: '5',
    }
    url = `http://127.0.0.1:${port}`
    compose(['up', '--detach', '--no-build'])
    await waitReady(url, 120_000)
  }, 30 * 60_000)

  afterAll(() => {
    if (!env) return
    // podman-compose's `down` leaves the anonymous /data volumes and the network behind.
    const ids = podman([
      'ps',
      '--all',
      '--quiet',
      '--filter',
      `label=io.podman.compose.project=${project}`,
    ])
    const volumes = ids
      ? podman(['inspect', '--format', '{{range .Mounts}}{{.Name}} {{end}}', ...ids.split('\n')])
          .split(/\s+/)
          .filter(Boolean)
      : []
    compose(['down', '--volumes', '--timeout', '10'])
    if (volumes.length > 0) podman(['volume', 'rm', '--force', ...volumes])
    // Gone already when this podman-compose removes it itself.
    spawnSync('podman', ['network', 'rm', '--force', `${project}_default`])
  }, 120_000)

  it('keeps Redis in append-only mode and serves the SPA from nginx', async () => {
    const appendonly = podman([
      'exec',
      container('redis'),
      'redis-cli',
      'CONFIG',
      'GET',
      'appendonly',
    ])
    expect(appendonly.split('\n')).toEqual(['appendonly', 'yes'])
    const page = await fetch(`${url}/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toMatch(/<div id="app"|<script type="module"/)
    const config = await (await fetch(`${url}/api/config`)).json()
    expect(config).toMatchObject({ provider: 'demo' })
  })

  it('streams a job posted through nginx through either instance', async () => {
    const id = await postJob(url, 'compose: either instance')
    // nginx hands requests to the two instances in turn: of four streams, each serves some.
    const streams = Array.from({ length: 4 }, () =>
      readStream(`${url}/api/jobs/${id}/events`, { timeoutMs: 120_000 }),
    )
    await waitUntil(
      'both instances serve a stream of the job',
      () => openStreams('api-1') > 0 && openStreams('api-2') > 0,
      60_000,
    )
    const runs = await Promise.all(streams)
    for (const { events } of runs) {
      expect(events.at(-1)?.type).toBe('job.completed')
      expect(seqs(events)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1))
    }
  })

  it('loses nothing when the instance serving a stream stops', async () => {
    const id = await postJob(url, 'compose: an instance stops')
    const events: ProgressEvent[] = []
    let stopped: string | undefined
    // A client as the SPA is: on a dropped or ended stream it reconnects with Last-Event-ID.
    for (let attempt = 0; attempt < 10 && events.at(-1)?.type !== 'job.completed'; attempt++) {
      const lastEventId = events.at(-1)?.seq
      const part = await readStream(`${url}/api/jobs/${id}/events`, {
        ...(lastEventId === undefined ? {} : { lastEventId }),
        timeoutMs: 120_000,
        onEvent(event) {
          if (stopped || event.type !== 'token' || event.step !== 'content') return
          stopped = openStreams('api-1') > 0 ? 'api-1' : 'api-2'
          podman(['stop', '--time', '10', container(stopped)])
        },
      })
      events.push(...part.events)
    }
    expect(stopped).toBeDefined()
    expect(events.at(-1)?.type).toBe('job.completed')
    expect(seqs(events)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1))
    if (stopped) podman(['start', container(stopped)])
  })
})
