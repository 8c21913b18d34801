import './helpers/browser-globals.js'
import './helpers/window-globals.js'
import { DEFAULT_JOB_OPTIONS, type ProgressEvent } from '@inkflow/shared'
import { flushSync } from 'svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApiClient } from '../src/lib/api/api-client.js'
import { JobSession } from '../src/lib/state/job-session.svelte.js'
import {
  openStream,
  type Script,
  type SseServer,
  send,
  startSseServer,
} from './helpers/sse-server.js'

/**
 * `JobSession` compiled as the browser gets it (runes as signals and proxies), following a
 * real local SSE server through the real API client and stream code.
 */

const JOB = 'j1' // the id the helper server's URL names
const SNAPSHOT_KEY = `inkflow:job:${JOB}`

/** A whole job: an outline of two sections, their text, a style pass, and the article. */
function articleJob(): ProgressEvent[] {
  const parts: Array<Record<string, unknown> & { type: ProgressEvent['type'] }> = [
    { type: 'job.queued', topic: 'tea', options: { ...DEFAULT_JOB_OPTIONS } },
    { type: 'job.started', attempt: 1 },
    { type: 'step.started', step: 'outline' },
    { type: 'outline.ready', title: 'Tea', sections: ['Leaves', 'Water'] },
    { type: 'step.completed', step: 'outline' },
    { type: 'step.started', step: 'content' },
    { type: 'section.started', index: 0, title: 'Leaves' },
    { type: 'token', step: 'content', index: 0, text: 'Green ' },
    { type: 'token', step: 'content', index: 0, text: 'leaves.' },
    { type: 'section.completed', index: 0, title: 'Leaves', content: 'Green leaves.' },
    { type: 'section.started', index: 1, title: 'Water' },
    { type: 'token', step: 'content', index: 1, text: 'Hot ' },
    { type: 'token', step: 'content', index: 1, text: 'water.' },
    { type: 'section.completed', index: 1, title: 'Water', content: 'Hot water.' },
    { type: 'step.completed', step: 'content' },
    { type: 'step.started', step: 'style' },
    { type: 'token', step: 'style', text: '# Tea\n\nGreen leaves. Hot water.' },
    { type: 'step.completed', step: 'style' },
    {
      type: 'job.completed',
      article: {
        title: 'Tea',
        sections: [
          { title: 'Leaves', content: 'Green leaves.' },
          { title: 'Water', content: 'Hot water.' },
        ],
        markdown: '# Tea\n\nGreen leaves. Hot water.',
      },
    },
  ]
  const last = parts.length
  return parts.map(
    (part, i) =>
      ({
        jobId: JOB,
        seq: i + 1,
        ts: new Date(0).toISOString(),
        progress: Math.round(((i + 1) / last) * 100),
        ...part,
      }) as ProgressEvent,
  )
}

const all = articleJob()
const seqOf = (type: ProgressEvent['type'], nth = 0) => all.filter((e) => e.type === type)[nth]!.seq

/** What the page shows once the whole job has been folded in. */
const finished = {
  jobId: JOB,
  topic: 'tea',
  status: 'completed',
  progress: 100,
  steps: { outline: 'done', content: 'done', style: 'done' },
  title: 'Tea',
  sections: [
    { title: 'Leaves', state: 'done', text: 'Green leaves.' },
    { title: 'Water', state: 'done', text: 'Hot water.' },
  ],
  polished: '# Tea\n\nGreen leaves. Hot water.',
  error: null,
  attempt: 1,
  lastSeq: all.length,
}

/** Events after `lastEventId` (the header the session sent), up to seq `to`. */
const after = (lastEventId: string | undefined, to = all.length) =>
  all.filter((e) => e.seq > Number(lastEventId ?? 0) && e.seq <= to)

let server: SseServer | undefined
const sessions: JobSession[] = []
beforeEach(() => sessionStorage.clear())
afterEach(async () => {
  for (const session of sessions.splice(0)) session.stop()
  await server?.close()
  server = undefined
})

async function sessionOn(script: Script): Promise<{ session: JobSession; server: SseServer }> {
  server = await startSseServer(script)
  const api = createApiClient(new URL(server.url).origin)
  const session = new JobSession(api, JOB)
  sessions.push(session)
  return { session, server }
}

const until = async (check: () => boolean, timeoutMs = 5000) => {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** The saved snapshot, parsed, or undefined. */
const saved = () => {
  const raw = sessionStorage.getItem(SNAPSHOT_KEY)
  return raw === null ? undefined : (JSON.parse(raw) as { lastSeq: number; sections: unknown[] })
}

describe('JobSession', () => {
  it('folds a whole job into its view, which effects see change', async () => {
    const { session, server } = await sessionOn((_req, res) => {
      openStream(res)
      send(res, all)
      res.end()
    })
    expect(session.resumedFromSeq).toBe(0)
    expect(session.view.lastSeq).toBe(0)

    const seen: Array<[number, string]> = []
    const stopEffects = $effect.root(() => {
      $effect(() => {
        seen.push([session.view.lastSeq, session.view.sections[1]?.text ?? ''])
      })
    })
    flushSync()
    expect(seen).toEqual([[0, '']])

    session.start()
    await until(() => session.connection.kind === 'done')
    flushSync()
    stopEffects()

    expect(session.view).toMatchObject(finished)
    expect(session.view.article?.markdown).toBe(finished.polished)
    expect(session.badFrame).toBeNull()
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0]?.lastEventId).toBeUndefined()
    // The effect re-ran with what the events wrote into the view's proxy.
    expect(seen.length).toBeGreaterThan(1)
    expect(seen.at(-1)).toEqual([all.length, 'Hot water.'])
  })

  it('reconnects with Last-Event-ID after a drop, and applies nothing twice', async () => {
    const cut = seqOf('token', 1) // mid-way through the first section
    const { session, server } = await sessionOn((req, res, n) => {
      openStream(res)
      // The second answer replays one event the session already has, as a server may.
      const from = n === 0 ? undefined : String(Number(req.headers['last-event-id']) - 1)
      send(res, after(from, n === 0 ? cut : all.length))
      res.end()
    })
    const kinds: string[] = []
    const stopEffects = $effect.root(() => {
      $effect(() => {
        kinds.push(session.connection.kind)
      })
    })
    session.start()
    await until(() => session.connection.kind === 'done')
    flushSync()
    stopEffects()

    expect(server.requests.map((r) => r.lastEventId)).toEqual([undefined, String(cut)])
    expect(kinds).toContain('waiting')
    expect(kinds.at(-1)).toBe('done')
    // Each token once: the replayed one was not appended again.
    expect(session.view).toMatchObject(finished)
  })

  it('saves its view while it streams, and a new session resumes from it after the saved seq', async () => {
    const cut = seqOf('section.completed', 0)
    // The first page load sees the job up to `cut`, then the stream goes quiet.
    const first = await sessionOn((_req, res) => {
      openStream(res)
      send(res, after(undefined, cut))
    })
    first.session.start()
    await until(() => first.session.view.lastSeq === cut)
    // Saved within the throttle window (250 ms) without a stop or pagehide.
    await until(() => saved()?.lastSeq === cut, 2000)
    expect(saved()?.sections).toEqual([
      { title: 'Leaves', state: 'done', text: 'Green leaves.' },
      { title: 'Water', state: 'pending', text: '' },
    ])
    first.session.stop()
    await first.server.close()

    // A reload: a new session on the same tab's storage.
    const second = await sessionOn((req, res) => {
      openStream(res)
      send(res, after(req.headers['last-event-id'] as string | undefined))
      res.end()
    })
    expect(second.session.resumedFromSeq).toBe(cut)
    expect(second.session.view.lastSeq).toBe(cut)
    expect(second.session.view.sections[0]?.text).toBe('Green leaves.')
    second.session.start()
    await until(() => second.session.connection.kind === 'done')

    expect(second.server.requests.map((r) => r.lastEventId)).toEqual([String(cut)])
    expect(second.session.view).toMatchObject(finished)
    second.session.stop()
    expect(saved()?.lastSeq).toBe(all.length)
  })

  it('saves at once on pagehide', async () => {
    const { session } = await sessionOn((_req, res) => {
      openStream(res)
      send(res, after(undefined, 3))
    })
    session.start()
    await until(() => session.view.lastSeq === 3)
    dispatchEvent(new Event('pagehide'))
    expect(saved()?.lastSeq).toBe(3) // synchronously, not after the throttle
  })

  it('ignores a snapshot of another job or of the wrong shape, and starts from the beginning', async () => {
    sessionStorage.setItem(SNAPSHOT_KEY, JSON.stringify({ jobId: JOB, lastSeq: 'seven' }))
    const { session, server } = await sessionOn((req, res) => {
      openStream(res)
      send(res, after(req.headers['last-event-id'] as string | undefined))
      res.end()
    })
    expect(session.resumedFromSeq).toBe(0)
    session.start()
    await until(() => session.connection.kind === 'done')
    expect(server.requests.map((r) => r.lastEventId)).toEqual([undefined])
    expect(session.view).toMatchObject(finished)
  })

  it('reports a bad frame and goes on with the next event', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { session } = await sessionOn((_req, res) => {
      openStream(res)
      send(res, after(undefined, 2))
      res.write('event: token\ndata: {"type":"token","seq":"x"}\nid: 3\n\n')
      send(res, after('2'))
      res.end()
    })
    session.start()
    await until(() => session.connection.kind === 'done')
    expect(session.badFrame).toMatch(/invalid event/)
    expect(warn).toHaveBeenCalledOnce()
    warn.mockRestore()
    expect(session.view).toMatchObject(finished)
  })
})
