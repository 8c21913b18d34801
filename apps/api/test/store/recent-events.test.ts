import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ProgressEvent } from '@inkflow/shared'
import type { Database } from 'better-sqlite3'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { EventLog, UnsequencedEvent } from '../../src/store/event-log.js'
import { createMemoryEventLog } from '../../src/store/memory/memory-event-log.js'
import { withRecentEvents } from '../../src/store/recent-events.js'
import { openDatabase } from '../../src/store/sqlite/open-database.js'
import { createSqliteEventLog } from '../../src/store/sqlite/sqlite-event-log.js'
import { describeEventLogContract } from './event-log.contract.js'

const dir = mkdtempSync(join(tmpdir(), 'inkflow-recent-events-'))
let opened: Database[] = []
let count = 0
const sqliteLog = () => {
  const db = openDatabase(join(dir, `test-${count++}.db`))
  opened.push(db)
  return createSqliteEventLog(db)
}
afterEach(() => {
  for (const db of opened) db.close()
  opened = []
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// The wrapped log is still a log: every promise of the contract holds through it.
describeEventLogContract('sqlite behind withRecentEvents', async () =>
  withRecentEvents(sqliteLog()),
)

/** Counts the reads that reach the real log underneath. */
function countingReads(log: EventLog) {
  const counter = { reads: 0 }
  const counted: EventLog = new Proxy(log, {
    get(target, prop) {
      if (prop === 'read')
        return (...args: Parameters<EventLog['read']>) => {
          counter.reads++
          return target.read(...args)
        }
      const value = Reflect.get(target, prop)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { counted, counter }
}

const token = (jobId: string, n: number): UnsequencedEvent => ({
  type: 'token',
  jobId,
  ts: new Date().toISOString(),
  progress: 50,
  step: 'content',
  index: 0,
  text: `word${n} `,
})
const appendTokens = async (log: EventLog, jobId: string, from: number, to: number) => {
  for (let n = from; n <= to; n++) await log.append(token(jobId, n))
}
const seqs = (events: ProgressEvent[]) => events.map((e) => e.seq)
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i)

describe('withRecentEvents', () => {
  it('answers a late reader of a followed job from memory, every event once and in order', async () => {
    const { counted, counter } = countingReads(sqliteLog())
    const log = withRecentEvents(counted)
    await appendTokens(log, 'job-a', 1, 5)

    const stopFirst = log.subscribe('job-a', () => {})
    expect(seqs(await log.read('job-a', 0))).toEqual(range(1, 5)) // from the file, and kept
    await appendTokens(log, 'job-a', 6, 10) // heard live
    expect(counter.reads).toBe(1)

    const heard: number[] = []
    const stopSecond = log.subscribe('job-a', (e) => heard.push(e.seq))
    const replay = await log.read('job-a', 0)
    expect(seqs(replay)).toEqual(range(1, 10))
    expect(seqs(await log.read('job-a', 7, 2))).toEqual([8, 9])
    expect(counter.reads).toBe(1)
    // The same objects for every reader, so each event's frame is built once.
    expect((await log.read('job-a', 0))[3]).toBe(replay[3])

    await appendTokens(log, 'job-a', 11, 12)
    expect(heard).toEqual([11, 12])
    stopFirst()
    stopSecond()
    await log.close()
  })

  it('goes to the log for what it did not hear, and forgets a job nobody follows', async () => {
    const { counted, counter } = countingReads(sqliteLog())
    const log = withRecentEvents(counted)
    await appendTokens(log, 'job-b', 1, 3)
    const stop = log.subscribe('job-b', () => {})
    await appendTokens(log, 'job-b', 4, 6)
    expect(seqs(await log.read('job-b', 2))).toEqual(range(3, 6)) // 3 is before what it heard
    expect(counter.reads).toBe(1)
    expect(seqs(await log.read('job-b', 0))).toEqual(range(1, 6)) // 1..2 were not kept yet
    expect(counter.reads).toBe(2)
    expect(seqs(await log.read('job-b', 0))).toEqual(range(1, 6))
    expect(counter.reads).toBe(2)

    stop()
    expect(seqs(await log.read('job-b', 0))).toEqual(range(1, 6))
    expect(counter.reads).toBe(3)
    await log.close()
  })

  it('starts again after a skip in delivery, and never answers across the hole', async () => {
    // A log whose delivery skips seq 3, as a follower may under load (the contract allows it).
    const inner = createMemoryEventLog()
    const skipping: EventLog = {
      ...inner,
      append: (...args) => inner.append(...args),
      read: (...args) => inner.read(...args),
      remove: (...args) => inner.remove(...args),
      close: () => inner.close(),
      subscribe: (jobId, listener) => inner.subscribe(jobId, (e) => e.seq !== 3 && listener(e)),
    }
    const { counted, counter } = countingReads(skipping)
    const log = withRecentEvents(counted)
    const stop = log.subscribe('job-c', () => {})
    await appendTokens(log, 'job-c', 1, 6)

    expect(seqs(await log.read('job-c', 0))).toEqual(range(1, 6))
    expect(counter.reads).toBe(1)
    expect(seqs(await log.read('job-c', 1))).toEqual(range(2, 6)) // kept from that read
    expect(counter.reads).toBe(1)
    stop()
  })

  it('keeps at most the given number of events per job, reading older ones from the log', async () => {
    const { counted, counter } = countingReads(createMemoryEventLog())
    const log = withRecentEvents(counted, 4)
    const stop = log.subscribe('job-d', () => {})
    await appendTokens(log, 'job-d', 1, 9)
    // Past 4 it dropped the oldest half: 7..9 are left.
    expect(seqs(await log.read('job-d', 6))).toEqual([7, 8, 9])
    expect(counter.reads).toBe(0)
    expect(seqs(await log.read('job-d', 0))).toEqual(range(1, 9))
    expect(counter.reads).toBe(1)
    stop()
  })

  it('answers nothing for removed jobs', async () => {
    const log = withRecentEvents(createMemoryEventLog())
    const stop = log.subscribe('job-e', () => {})
    await appendTokens(log, 'job-e', 1, 3)
    await log.remove(['job-e'])
    expect(await log.read('job-e', 0)).toEqual([])
    stop()
  })
})
