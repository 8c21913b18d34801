import type { ProgressEvent } from '@inkflow/shared'
import { DEFAULT_JOB_OPTIONS } from '@inkflow/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type EventLog, EventLogClosedError, EventLogSeqError } from '../../src/events/event-log.js'
import {
  completedEvent as completed,
  queuedEvent,
  tokenEvent as token,
  eventTs as ts,
} from '../helpers/log-events.js'
import { waitUntil } from '../helpers/test-server.js'

let counter = 0
const newJobId = () => `log-${Date.now().toString(36)}-${(counter++).toString(36)}`
/**
 * The behaviour every `EventLog` adapter must show. Each adapter's test file calls this with a
 * factory that returns a fresh log (and, for shared stores, a second handle on the same data).
 */
export function describeEventLogContract(name: string, open: () => Promise<EventLog>) {
  describe(`EventLog contract: ${name}`, () => {
    let log: EventLog
    beforeEach(async () => {
      log = await open()
    })
    afterEach(async () => {
      await log.close()
    })

    it('assigns seq 1, 2, 3 … per job and returns the stored event', async () => {
      const a = newJobId()
      const b = newJobId()
      const first = await log.append(queuedEvent(a, ts))
      expect(first).toEqual({
        type: 'job.queued',
        jobId: a,
        seq: 1,
        ts,
        progress: 0,
        topic: 'tea',
        options: DEFAULT_JOB_OPTIONS,
      })
      expect((await log.append(token(a, 'x'))).seq).toBe(2)
      expect((await log.append(token(b, 'y'))).seq).toBe(1)
    })

    it('reads events after a seq, in order, with a limit', async () => {
      const job = newJobId()
      for (let i = 0; i < 10; i++) await log.append(token(job, `t${i}`))
      expect((await log.read(job, 0)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
      expect((await log.read(job, 7)).map((e) => e.seq)).toEqual([8, 9, 10])
      expect((await log.read(job, 2, 3)).map((e) => e.seq)).toEqual([3, 4, 5])
      expect(await log.read(job, 10)).toEqual([])
      expect(await log.read(newJobId(), 0)).toEqual([])
    })

    it('keeps every field of every event type intact', async () => {
      const job = newJobId()
      const appended = await log.append({
        type: 'outline.ready',
        jobId: job,
        ts,
        progress: 30,
        title: 'Tea “quoted” ✓',
        sections: ['a', 'b\nc', '🎉'],
      })
      expect((await log.read(job, 0))[0]).toEqual(appended)
    })

    it('never repeats or skips a seq under concurrent appends', async () => {
      const job = newJobId()
      const appended = await Promise.all(
        Array.from({ length: 50 }, (_, i) => log.append(token(job, `t${i}`))),
      )
      expect(appended.map((e) => e.seq).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      )
      expect((await log.read(job, 0)).map((e) => e.seq)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      )
    })

    it('closes the log after a terminal event', async () => {
      const job = newJobId()
      await log.append(token(job, 'a'))
      await log.append(completed(job))
      await expect(log.append(token(job, 'late'))).rejects.toBeInstanceOf(EventLogClosedError)
      await expect(log.append(completed(job))).rejects.toBeInstanceOf(EventLogClosedError)
      expect((await log.read(job, 0)).map((e) => e.type)).toEqual(['token', 'job.completed'])
    })

    it('removes the events of the given jobs only', async () => {
      const [gone, kept] = [newJobId(), newJobId()]
      await log.append(token(gone, 'a'))
      await log.append(completed(gone))
      await log.append(token(kept, 'b'))
      await log.remove([gone])
      expect(await log.read(gone, 0)).toEqual([])
      expect((await log.read(kept, 0)).map((e) => e.seq)).toEqual([1])
      expect((await log.append(token(kept, 'c'))).seq).toBe(2)
    })

    it('keeps seq contiguous per job when many jobs append at once', async () => {
      const jobs = [newJobId(), newJobId(), newJobId()]
      await Promise.all(
        Array.from({ length: 90 }, (_, i) => log.append(token(jobs[i % 3]!, `t${i}`))),
      )
      for (const job of jobs) {
        const events = await log.read(job, 0)
        expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
        // Per job, seq follows the order the appends were made in.
        const texts = events.map((e) => (e.type === 'token' ? e.text : ''))
        const made = Array.from({ length: 90 }, (_, i) => i)
          .filter((i) => jobs[i % 3] === job)
          .map((i) => `t${i}`)
        expect(texts).toEqual(made)
      }
    })

    it('stores an append that names its seq only at that seq, so a failed one fails those sent after it', async () => {
      const job = newJobId()
      expect((await log.append(token(job, 'a'), { seq: 1 })).seq).toBe(1)
      await expect(log.append(token(job, 'skip'), { seq: 3 })).rejects.toBeInstanceOf(
        EventLogSeqError,
      )
      await expect(log.append(token(job, 'again'), { seq: 1 })).rejects.toBeInstanceOf(
        EventLogSeqError,
      )
      // Sent together without waiting: the second fails, so the third (expecting 4) fails too.
      const burst = await Promise.allSettled([
        log.append(token(job, 'b'), { seq: 2 }),
        log.append(token(job, 'wrong'), { seq: 9 }),
        log.append(token(job, 'c'), { seq: 4 }),
        log.append(token(job, 'd'), { seq: 3 }),
      ])
      expect(burst.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled'])
      const stored = await log.read(job, 0)
      expect(stored.map((e) => [e.seq, e.type === 'token' ? e.text : e.type])).toEqual([
        [1, 'a'],
        [2, 'b'],
        [3, 'd'],
      ])
    })

    it('rejects only the appends after a terminal event made in the same burst', async () => {
      const job = newJobId()
      const results = await Promise.allSettled([
        log.append(token(job, 'a')),
        log.append(completed(job)),
        log.append(token(job, 'late')),
      ])
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected'])
      expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(EventLogClosedError)
      expect((await log.read(job, 0)).map((e) => e.type)).toEqual(['token', 'job.completed'])
    })

    it('delivers appended events to subscribers in order until they unsubscribe', async () => {
      const job = newJobId()
      const seen: ProgressEvent[] = []
      const other: ProgressEvent[] = []
      const stop = log.subscribe(job, (e) => seen.push(e))
      const stopOther = log.subscribe(newJobId(), (e) => other.push(e))
      for (let i = 0; i < 5; i++) await log.append(token(job, `t${i}`))
      await waitUntil(() => seen.length >= 5)
      expect(seen.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5])
      stop()
      await log.append(token(job, 'after'))
      await new Promise((r) => setTimeout(r, 50))
      expect(seen).toHaveLength(5)
      expect(other).toHaveLength(0)
      stopOther()
    })

    it('isolates a subscriber that throws', async () => {
      const job = newJobId()
      const seen: ProgressEvent[] = []
      const stopBad = log.subscribe(job, () => {
        throw new Error('bad listener')
      })
      const stop = log.subscribe(job, (e) => seen.push(e))
      await log.append(token(job, 'a'))
      await waitUntil(() => seen.length >= 1)
      stop()
      stopBad()
    })
  })
}
