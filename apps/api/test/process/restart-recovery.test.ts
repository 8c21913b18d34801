import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultReply, isSection, type LlmStub, startLlmStub } from '@inkflow/llm-stub'
import type { ProgressEvent } from '@inkflow/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createJob, getJob } from '../helpers/job-client.js'
import { sectionText } from '../helpers/job-log.js'
import { readStream, seqsOf as seqs } from '../helpers/sse-reader.js'
import { type ApiProcess, spawnApi, stopApi, stubModelEnv } from './spawn-api.js'
import { callsFor, countCalls } from './stub-calls.js'
import { waitUntil } from './wait-until.js'

const postJob = (baseUrl: string, topic: string, key: string) =>
  createJob(baseUrl, topic, { 'idempotency-key': key })
const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1)

describe.each(['SIGKILL', 'SIGTERM'] as const)(
  'the built API stopped by %s mid-section',
  (signal) => {
    let stub: LlmStub
    let dir: string
    let api: ApiProcess | undefined
    let env: Record<string, string>

    beforeAll(async () => {
      // Sections stream slowly, so the stop lands inside one; the other calls answer at once.
      stub = await startLlmStub({
        reply: (request) => ({ tokenDelayMs: isSection(request) ? 25 : 0 }),
      })
      dir = mkdtempSync(join(tmpdir(), 'inkflow-restart-'))
      env = {
        STORE_URL: `sqlite:${join(dir, 'data', 'inkflow.db')}`,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        ...stubModelEnv(stub.url),
      }
    })

    afterAll(async () => {
      await stopApi(api)
      await stub?.close()
      if (dir) rmSync(dir, { recursive: true, force: true })
    })

    it('resumes the job at its section on the next start, with one contiguous log', async () => {
      api = await spawnApi(env)
      const before = api

      // A job that finishes before the stop: it must come back unchanged.
      const doneTopic = `finished before ${signal}`
      const doneId = await postJob(before.baseUrl, doneTopic, `done-${signal}`)
      const doneRun = await readStream(`${before.baseUrl}/api/jobs/${doneId}/events`)
      expect(doneRun.events.at(-1)?.type).toBe('job.completed')
      const doneJob = await getJob(before.baseUrl, doneId)

      // A job stopped while its second section streams.
      const topic = `interrupted by ${signal}`
      const key = `interrupted-${signal}`
      const id = await postJob(before.baseUrl, topic, key)
      let stopped = false
      const firstRun = await readStream(`${before.baseUrl}/api/jobs/${id}/events`, {
        onEvent(event) {
          if (!stopped && event.type === 'token' && event.step === 'content' && event.index === 1) {
            stopped = true
            before.child.kill(signal)
          }
        },
      })
      const exit = await before.exited
      expect(stopped, before.output()).toBe(true)
      if (signal === 'SIGTERM') {
        // Graceful: exit code 0 (not the 10 s timeout's 1), stream ended with a retry hint.
        expect(exit.code, before.output()).toBe(0)
        expect(firstRun.endedByServer).toBe(true)
        expect(firstRun.retry).toEqual(expect.any(Number))
      } else {
        expect(exit.signal).toBe('SIGKILL')
      }
      expect(firstRun.events.some((e) => e.type === 'section.completed' && e.index === 0)).toBe(
        true,
      )
      expect(
        firstRun.events.some((e) => e.type.startsWith('job.c') || e.type === 'job.failed'),
      ).toBe(false)
      expect(seqs(firstRun.events)).toEqual(oneToN(firstRun.events.length))
      // The call in flight was abandoned, not left running.
      const interrupted = callsFor(stub.requests, topic).at(-1)
      expect(interrupted).toMatchObject({ kind: 'section', index: 1 })
      await waitUntil(
        'the stub sees the call abandoned',
        () => interrupted?.request.aborted === true,
      )

      // Start again on the same file; the reader reconnects with the last id it saw.
      api = await spawnApi(env)
      const lastSeen = firstRun.events.at(-1)!.seq
      const resumed = await readStream(`${api.baseUrl}/api/jobs/${id}/events`, {
        lastEventId: lastSeen,
      })
      expect(resumed.endedByServer).toBe(true)
      expect(seqs(resumed.events)).toEqual(oneToN(lastSeen + resumed.events.length).slice(lastSeen))
      expect(resumed.events.at(-1)?.type).toBe('job.completed')
      expect(resumed.events).toContainEqual(
        expect.objectContaining({ type: 'job.started', attempt: 2 }),
      )

      // The whole log: what the first reader saw, then the rest, one terminal event last.
      const whole = await readStream(`${api.baseUrl}/api/jobs/${id}/events`)
      expect(seqs(whole.events)).toEqual(oneToN(whole.events.length))
      expect(whole.events.slice(0, firstRun.events.length)).toEqual(firstRun.events)
      expect(whole.events.filter((e) => e.type.startsWith('job.completed'))).toHaveLength(1)

      // The cut section carried on: one start, the model asked to go on from the text the log
      // had, and its tokens read as one text with no word repeated or lost.
      const section1 = (events: ProgressEvent[]) => sectionText(events, 1)
      const restartAt = whole.events.findIndex((e) => e.type === 'job.started' && e.attempt === 2)
      const cutText = section1(whole.events.slice(0, restartAt))
      expect(cutText.length).toBeGreaterThan(0)
      expect(
        whole.events.filter((e) => e.type === 'section.started' && e.index === 1),
      ).toHaveLength(1)
      const [firstCall, secondCall] = callsFor(stub.requests, topic).filter(
        (c) => c.kind === 'section' && c.index === 1,
      )
      expect(secondCall?.request.body.messages.find((m) => m.role === 'assistant')?.content).toBe(
        cutText,
      )
      const completed = whole.events.find((e) => e.type === 'section.completed' && e.index === 1)
      const intended = defaultReply(firstCall!.request.body.messages)
      expect(completed?.type === 'section.completed' && completed.content).toBe(intended)
      expect(section1(whole.events)).toBe(intended)

      // Paid work is not paid twice: one outline, section 0 once, only the interrupted one again.
      const calls = callsFor(stub.requests, topic)
      expect(countCalls(calls, 'outline')).toBe(1)
      expect(countCalls(calls, 'section', 0)).toBe(1)
      expect(countCalls(calls, 'section', 1)).toBe(2)
      expect(countCalls(calls, 'style')).toBe(1)
      const job = await getJob(api.baseUrl, id)
      expect(job.status).toBe('completed')
      const firstSection = firstRun.events.find((e) => e.type === 'section.completed')
      expect(job.article?.sections).toHaveLength(3)
      expect(job.article?.markdown).toContain(
        firstSection?.type === 'section.completed' ? firstSection.content.split('\n')[0] : '?',
      )

      // The finished job, its log and the idempotency keys survived the stop.
      expect(await getJob(api.baseUrl, doneId)).toEqual(doneJob)
      expect((await readStream(`${api.baseUrl}/api/jobs/${doneId}/events`)).events).toEqual(
        doneRun.events,
      )
      expect(await postJob(api.baseUrl, topic, key)).toBe(id)
      expect(await postJob(api.baseUrl, doneTopic, `done-${signal}`)).toBe(doneId)
    }, 60_000)
  },
)
