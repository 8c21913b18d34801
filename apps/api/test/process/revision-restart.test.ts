import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultReply, type LlmStub, startLlmStub } from '@inkflow/llm-stub'
import { JobCreatedSchema, type ProgressEvent } from '@inkflow/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getJob } from '../helpers/job-client.js'
import { tokenText } from '../helpers/job-log.js'
import { readStream, seqsOf as seqs } from '../helpers/sse-reader.js'
import { type ApiProcess, spawnApi, stopApi, stubModelEnv } from './spawn-api.js'
import { callsFor, countCalls } from './stub-calls.js'
import { waitUntil } from './wait-until.js'

async function post(url: string, body: unknown, token?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  })
  if (res.status !== 202) throw new Error(`POST ${url} answered ${res.status}`)
  return JobCreatedSchema.parse(await res.json())
}

const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1)
const revisedText = (events: ProgressEvent[]) => tokenText(events, 'revise')

describe('the built API killed (SIGKILL) mid-revision on SQLite', () => {
  let stub: LlmStub
  let dir: string
  let api: ApiProcess | undefined

  beforeAll(async () => {
    // The revision streams slowly, so the kill lands inside it; the other calls answer at once.
    stub = await startLlmStub({
      reply: (request) => ({
        tokenDelayMs: JSON.stringify(request.body).includes('\\"instruction\\"') ? 40 : 0,
      }),
    })
    dir = mkdtempSync(join(tmpdir(), 'inkflow-revision-restart-'))
  })

  afterAll(async () => {
    await stopApi(api)
    await stub?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('continues the revision from the logged text on the next start; the original never changes', async () => {
    const env = {
      STORE_URL: `sqlite:${join(dir, 'inkflow.db')}`,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...stubModelEnv(stub.url),
    }
    api = await spawnApi(env)
    const before = api
    const topic = 'revised across a crash'
    const original = await post(`${before.baseUrl}/api/jobs`, { topic })
    const originalRun = await readStream(`${before.baseUrl}/api/jobs/${original.id}/events`)
    expect(originalRun.events.at(-1)?.type).toBe('job.completed')
    const originalJob = await getJob(before.baseUrl, original.id)

    const ask = { section: 1, instruction: 'shorter, with one example' }
    const revision = await post(
      `${before.baseUrl}/api/jobs/${original.id}/revisions`,
      ask,
      original.ownerToken,
    )
    let killed = false
    const firstRun = await readStream(`${before.baseUrl}/api/jobs/${revision.id}/events`, {
      onEvent(event) {
        if (!killed && event.type === 'token' && event.step === 'revise') {
          killed = true
          before.child.kill('SIGKILL')
        }
      },
    })
    expect((await before.exited).signal).toBe('SIGKILL')
    expect(killed, before.output()).toBe(true)
    expect(firstRun.events.some((e) => e.type === 'job.completed')).toBe(false)
    const interrupted = callsFor(stub.requests, topic).at(-1)
    expect(interrupted).toMatchObject({ kind: 'revise', index: 1 })
    await waitUntil('the stub sees the call abandoned', () => interrupted?.request.aborted === true)

    api = await spawnApi(env)
    const lastSeen = firstRun.events.at(-1)!.seq
    const resumed = await readStream(`${api.baseUrl}/api/jobs/${revision.id}/events`, {
      lastEventId: lastSeen,
    })
    expect(resumed.events.at(-1)?.type).toBe('job.completed')
    expect(seqs(resumed.events)).toEqual(oneToN(lastSeen + resumed.events.length).slice(lastSeen))
    const whole = (await readStream(`${api.baseUrl}/api/jobs/${revision.id}/events`)).events
    expect(seqs(whole)).toEqual(oneToN(whole.length))
    expect(whole.slice(0, firstRun.events.length)).toEqual(firstRun.events)
    expect(whole).toContainEqual(expect.objectContaining({ type: 'job.started', attempt: 2 }))

    // No reset: one start of the step and of the section; the model was asked to go on from
    // the text the log had, and the tokens read as one text that is the section's content.
    expect(whole.filter((e) => e.type === 'step.started')).toHaveLength(1)
    expect(whole.filter((e) => e.type === 'section.started')).toHaveLength(1)
    const restartAt = whole.findIndex((e) => e.type === 'job.started' && e.attempt === 2)
    const cutText = revisedText(whole.slice(0, restartAt))
    expect(cutText.length).toBeGreaterThan(0)
    const calls = callsFor(stub.requests, topic).filter((c) => c.kind === 'revise')
    expect(calls).toHaveLength(2)
    const [firstCall, secondCall] = calls
    const carriedOn = secondCall?.request.body.messages.find((m) => m.role === 'assistant')
    expect(carriedOn?.content).toBe(cutText)
    const intended = defaultReply(firstCall!.request.body.messages)
    const completed = whole.find((e) => e.type === 'section.completed')
    expect(completed?.type === 'section.completed' && completed.content).toBe(intended)
    expect(revisedText(whole)).toBe(intended)

    // The new version: the original's article with exactly that section replaced.
    const job = await getJob(api.baseUrl, revision.id)
    expect(job.status).toBe('completed')
    expect(job.revisionOf).toEqual({ jobId: original.id, ...ask })
    const base = originalJob.article!
    expect(job.article?.sections).toEqual(
      base.sections.map((s, i) => (i === 1 ? { ...s, content: intended.trim() } : s)),
    )
    // Paid work is not paid twice: the original's calls were made once each.
    const all = callsFor(stub.requests, topic)
    expect(countCalls(all, 'outline')).toBe(1)
    expect(countCalls(all, 'style')).toBe(1)
    // The original, its log and its view, are as they were.
    expect(await getJob(api.baseUrl, original.id)).toEqual(originalJob)
    expect((await readStream(`${api.baseUrl}/api/jobs/${original.id}/events`)).events).toEqual(
      originalRun.events,
    )
  }, 60_000)
})
