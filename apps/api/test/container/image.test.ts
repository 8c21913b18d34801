import { randomUUID } from 'node:crypto'
import type { ProgressEvent } from '@inkflow/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readStream } from '../helpers/sse-reader.js'
import { freePort } from '../process/nginx.js'
import { buildImage, IMAGE, podman, podmanForTests, postJob, waitReady } from './podman.js'

const enabled = podmanForTests('the container image tests')
const seqs = (events: ProgressEvent[]) => events.map((e) => e.seq)

// The Dockerfile built as a user would, then run as a user would: a published port, a named
// volume for /data, `podman stop` (SIGTERM, then SIGKILL after 10 s).
describe.runIf(enabled)('the container image', () => {
  const id = randomUUID().slice(0, 8)
  const volume = `inkflow-test-data-${id}`
  const containers: string[] = []
  let url: string

  /** Starts the image on the test's volume and waits until it is ready. */
  async function start(name: string): Promise<void> {
    const port = await freePort()
    containers.push(name)
    podman([
      'run',
      '--detach',
      '--name',
      name,
      '--publish',
      `127.0.0.1:${port}:8787`,
      '--volume',
      `${volume}:/data`,
      // Slow enough that a stop lands inside a section.
      '--env',
      'DEMO_TOKEN_DELAY_MS=3',
      IMAGE,
    ])
    url = `http://127.0.0.1:${port}`
    await waitReady(url)
  }

  beforeAll(() => {
    buildImage()
    podman(['volume', 'create', volume])
  }, 30 * 60_000)

  afterAll(() => {
    for (const name of containers) podman(['rm', '--force', '--ignore', name])
    podman(['volume', 'rm', '--force', volume])
  })

  it('runs node as PID 1, not as root, with production packages only and the SPA beside', () => {
    const image = JSON.parse(podman(['image', 'inspect', IMAGE]))[0] as {
      Config: {
        User: string
        Cmd: string[]
        Entrypoint?: string[] | null
        Volumes: Record<string, unknown>
        Healthcheck?: { Test: string[] }
      }
      // podman lists the Docker-format healthcheck beside Config.
      Healthcheck?: { Test: string[] }
    }
    const config = image.Config
    expect(config.User).toBe('node')
    expect(config.Entrypoint ?? []).toEqual([])
    expect(config.Cmd).toEqual(['node', '--enable-source-maps', 'dist/main.js'])
    expect(Object.keys(config.Volumes)).toEqual(['/data'])
    expect((image.Healthcheck ?? config.Healthcheck)?.Test.join(' ')).toContain('/readyz')
    const listing = podman(['run', '--rm', IMAGE, 'sh', '-c', 'ls /app/node_modules; ls /app/web'])
    expect(listing).toContain('express')
    expect(listing).toContain('index.html')
    expect(listing).not.toMatch(/vitest|typescript|supertest|llm-stub|tsx/)
  })

  it('serves a demo article end to end over its published port, and reports healthy', async () => {
    await start(`inkflow-test-a-${id}`)
    const name = `inkflow-test-a-${id}`
    expect(podman(['exec', name, 'cat', '/proc/1/cmdline']).split('\0')[0]).toBe('node')
    expect(podman(['exec', name, 'id', '-u'])).toBe('1000')
    podman(['healthcheck', 'run', name]) // exits non-zero when unhealthy
    const jobId = await postJob(url, 'lighthouses in a container')
    const run = await readStream(`${url}/api/jobs/${jobId}/events`, { timeoutMs: 120_000 })
    expect(run.events.at(-1)?.type).toBe('job.completed')
  })

  it('stops on SIGTERM with the running job checkpointed; a new container on the volume finishes it', async () => {
    const first = `inkflow-test-a-${id}`
    const jobId = await postJob(url, 'a job the stop interrupts')
    let stopping: Promise<number> | undefined
    const before = await readStream(`${url}/api/jobs/${jobId}/events`, {
      timeoutMs: 120_000,
      onEvent(event) {
        if (stopping || event.type !== 'token' || event.step !== 'content' || event.index !== 1) {
          return
        }
        // The second section is streaming: the first is checkpointed.
        stopping = (async () => {
          const started = performance.now()
          podman(['stop', '--time', '10', first])
          return (performance.now() - started) / 1000
        })()
      },
    })
    expect(stopping).toBeDefined()
    const seconds = await stopping
    console.info(`podman stop took ${seconds?.toFixed(1)} s`)
    // 0: the API stopped itself; podman's SIGKILL after 10 s would leave 137.
    expect(podman(['inspect', '--format', '{{.State.ExitCode}}', first])).toBe('0')
    expect(podman(['logs', first])).toMatch(/"msg":"stopped"/)
    expect(before.events.some((e) => e.type === 'job.completed')).toBe(false)

    await start(`inkflow-test-b-${id}`)
    const last = before.events.at(-1)?.seq ?? 0
    const after = await readStream(`${url}/api/jobs/${jobId}/events`, {
      lastEventId: last,
      timeoutMs: 120_000,
    })
    expect(after.events.at(-1)?.type).toBe('job.completed')
    const all = (await readStream(`${url}/api/jobs/${jobId}/events`)).events
    expect(seqs(all)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1))
    expect(seqs(all)).toEqual([...seqs(before.events), ...seqs(after.events)])
    // Resumed, not redone: the first section was written once, and the job started twice.
    const firstSection = all.filter((e) => e.type === 'section.completed' && e.index === 0)
    expect(firstSection).toHaveLength(1)
    expect(all.filter((e) => e.type === 'job.started').map((e) => e.attempt)).toEqual([1, 2])
  })
})
