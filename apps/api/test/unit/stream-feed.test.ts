import { describe, expect, it } from 'vitest'
import type { EventLog } from '../../src/events/event-log.js'
import { createStreamFeed, type FeedEntry } from '../../src/http/sse/stream-feed.js'
import { createMemoryEventLog } from '../../src/store/memory/memory-event-log.js'
import { tokenEvent } from '../helpers/log-events.js'

/** A memory log that counts the reads and subscriptions reaching it. */
function countingLog(skipSeq?: number) {
  const inner = createMemoryEventLog()
  const counter = { reads: 0, subscriptions: 0 }
  const log: EventLog = {
    append: (event, options) => inner.append(event, options),
    read: (jobId, afterSeq, limit) => {
      counter.reads++
      return inner.read(jobId, afterSeq, limit)
    },
    remove: (jobIds) => inner.remove(jobIds),
    close: () => inner.close(),
    subscribe: (jobId, listener) => {
      counter.subscriptions++
      // A delivery that skips one seq, as a Redis follower may under load (the port allows it).
      return inner.subscribe(jobId, (e) => e.seq !== skipSeq && listener(e))
    },
  }
  return { log, counter }
}

const token = (jobId: string, n: number) => tokenEvent(jobId, `word${n} `)
const appendTokens = async (log: EventLog, jobId: string, from: number, to: number) => {
  for (let n = from; n <= to; n++) await log.append(token(jobId, n))
}
const seqs = (entries: FeedEntry[]) => entries.map((e) => e.event.seq)
/** What a client parses from an entry's frame: its `id:` line. */
const frameId = (entry: FeedEntry) => /\nid: (\d+)\n/.exec(entry.frame.body.toString())?.[1]
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i)

describe('the stream feed', () => {
  it('hands every follower each new entry, in order, with its frame', async () => {
    const { log } = countingLog()
    const feed = createStreamFeed({ log })
    const first: FeedEntry[] = []
    const second: FeedEntry[] = []
    const a = feed.follow('job', (entry) => first.push(entry))
    const b = feed.follow('job', (entry) => second.push(entry))
    await appendTokens(log, 'job', 1, 3)
    expect(first.map(frameId)).toEqual(['1', '2', '3'])
    expect(first[0]!.frame.body.toString()).toContain('event: token\ndata: {')
    expect(second).toEqual(first)
    a.stop()
    await appendTokens(log, 'job', 4, 4)
    expect(first).toHaveLength(3)
    expect(second.map(frameId)).toEqual(['1', '2', '3', '4'])
    b.stop()
  })

  it('perf-guard: subscribes to the log once per job and frames each event once, however many follow', async () => {
    const { log, counter } = countingLog()
    const feed = createStreamFeed({ log })
    const heard: FeedEntry[][] = []
    const followers = Array.from({ length: 50 }, (_, i) => {
      heard[i] = []
      return feed.follow('job', (entry) => heard[i]!.push(entry))
    })
    await appendTokens(log, 'job', 1, 10)
    expect(counter.subscriptions).toBe(1)
    // One frame per event: every follower, live and on replay, gets the very same bytes.
    const frames = heard[0]!.map((e) => e.frame)
    expect(frames).toHaveLength(10)
    const replays = await Promise.all(followers.map((f) => f.read(0)))
    for (const entries of [...heard, ...replays]) {
      expect(entries.map((e) => e.frame)).toHaveLength(10)
      for (const [i, e] of entries.entries()) expect(e.frame).toBe(frames[i])
    }
    expect(counter.reads).toBe(0)
    for (const f of followers) f.stop()
  })

  it('replays what it heard from memory, and reads what it did not hear from the log', async () => {
    const { log, counter } = countingLog()
    const feed = createStreamFeed({ log })
    await appendTokens(log, 'job', 1, 3) // before anyone followed
    const follower = feed.follow('job', () => {})
    await appendTokens(log, 'job', 4, 6) // heard live
    expect(seqs(await follower.read(3))).toEqual(range(4, 6))
    expect(counter.reads).toBe(0)
    expect(seqs(await follower.read(0))).toEqual(range(1, 6)) // 1..3 from the log, then kept
    expect(counter.reads).toBe(1)
    expect(seqs(await follower.read(0))).toEqual(range(1, 6))
    expect(seqs(await follower.read(1, 2))).toEqual([2, 3])
    expect(counter.reads).toBe(1)
    follower.stop()
    // Nobody follows now: the window is gone, reads go to the log.
    const again = feed.follow('job', () => {})
    expect(seqs(await again.read(0))).toEqual(range(1, 6))
    expect(counter.reads).toBe(2)
    again.stop()
  })

  it('starts again after a skip in delivery, and never answers across the hole', async () => {
    const { log, counter } = countingLog(3)
    const feed = createStreamFeed({ log })
    const heard: number[] = []
    const follower = feed.follow('job', (e) => heard.push(e.event.seq))
    await appendTokens(log, 'job', 1, 6)
    expect(heard).toEqual([1, 2, 4, 5, 6])
    expect(seqs(await follower.read(0))).toEqual(range(1, 6)) // the hole is read from the log
    expect(counter.reads).toBe(1)
    expect(seqs(await follower.read(1))).toEqual(range(2, 6)) // kept from that read
    expect(counter.reads).toBe(1)
    follower.stop()
  })

  it('keeps at most its window per job, reading older entries from the log', async () => {
    const { log, counter } = countingLog()
    const feed = createStreamFeed({ log, window: 4 })
    const follower = feed.follow('job', () => {})
    await appendTokens(log, 'job', 1, 9)
    // Past 4 it dropped the oldest half: 7..9 are left.
    expect(seqs(await follower.read(6))).toEqual([7, 8, 9])
    expect(counter.reads).toBe(0)
    expect(seqs(await follower.read(0))).toEqual(range(1, 9))
    expect(counter.reads).toBe(1)
    follower.stop()
  })
})
