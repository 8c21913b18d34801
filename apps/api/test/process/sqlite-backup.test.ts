import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readStream, seqsOf as seqs } from '../helpers/sse-reader.js'
import { type ApiProcess, spawnApi, stopApi } from './spawn-api.js'

/** Where `require('better-sqlite3')` resolves, as it does in the image's /app. */
const API_DIR = fileURLToPath(new URL('../../', import.meta.url))

/** docs/deploy.md's online backup, with the API's own SQLite driver: a consistent snapshot. */
function backup(db: string, to: string) {
  const script = `require('better-sqlite3')('${db}').exec("VACUUM INTO '${to}'")`
  execFileSync(process.execPath, ['-e', script], { cwd: API_DIR, stdio: 'pipe' })
}

describe('an online SQLite backup (VACUUM INTO) taken in the middle of a job', () => {
  let dir: string
  let api: ApiProcess | undefined
  const env = (db: string) => ({
    STORE_URL: `sqlite:${db}`,
    HOST: '127.0.0.1',
    PORT: '0',
    LLM_PROVIDER: 'demo',
    DEMO_TOKEN_DELAY_MS: '2',
  })

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'inkflow-backup-'))
  })

  afterAll(async () => {
    await stopApi(api)
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('restores into an API that finishes the job from its checkpoint', {
    timeout: 90_000,
  }, async () => {
    const live = join(dir, 'inkflow.db')
    const copy = join(dir, 'backup.db')
    api = await spawnApi(env(live))
    const res = await fetch(`${api.baseUrl}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic: 'backups that work' }),
    })
    const { id } = (await res.json()) as { id: string }
    // The backup runs while the second section streams, the API writing all along.
    let taken = false
    const run = await readStream(`${api.baseUrl}/api/jobs/${id}/events`, {
      onEvent(event) {
        if (taken || event.type !== 'token' || event.step !== 'content' || event.index !== 1) return
        taken = true
        backup(live, copy)
      },
    })
    expect(taken).toBe(true)
    expect(existsSync(copy)).toBe(true)
    // The live API was not disturbed by the backup.
    expect(run.events.at(-1)?.type).toBe('job.completed')
    await stopApi(api, 'SIGTERM')

    // The restore: an API started on the backup file, as after losing the original.
    api = await spawnApi(env(copy))
    const restored = await readStream(`${api.baseUrl}/api/jobs/${id}/events`)
    const events = restored.events
    expect(events.at(-1)?.type).toBe('job.completed')
    expect(seqs(events)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1))
    // Resumed from the checkpoint in the backup: the first section was not written again.
    expect(events.filter((e) => e.type === 'section.completed' && e.index === 0)).toHaveLength(1)
    expect(events.filter((e) => e.type === 'job.started').length).toBe(2)
  })
})
