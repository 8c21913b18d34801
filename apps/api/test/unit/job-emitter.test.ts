import { describe, expect, it } from 'vitest'
import type { EventLog } from '../../src/events/event-log.js'
import { createJobEmitter } from '../../src/events/job-emitter.js'
import { createMemoryEventLog } from '../../src/store/memory/memory-event-log.js'

describe('the job emitter', () => {
  it('sends the first delta at once, gathers the next ones, and flushes them before another event', async () => {
    const log = createMemoryEventLog()
    const emitter = createJobEmitter({ jobId: 'j', log, coalesceMs: 10_000 })
    emitter.token('content', 0, 'Hel', 40)
    emitter.token('content', 0, 'lo ', 41)
    emitter.token('content', 1, 'Next', 60)
    await emitter.emit({ type: 'section.completed', index: 1, title: 't', content: 'Next' })
    const events = await log.read('j', 0)
    expect(events.map((e) => [e.type, e.type === 'token' ? e.text : '', e.progress])).toEqual([
      ['token', 'Hel', 40],
      ['token', 'lo ', 41],
      ['token', 'Next', 60],
      ['section.completed', '', 60],
    ])
  })

  it('never lets progress go down, and starts from where a resumed job was', async () => {
    const log = createMemoryEventLog()
    const emitter = createJobEmitter({ jobId: 'j', log, startProgress: 50 })
    await emitter.emit({ type: 'job.started', attempt: 2 }, 0)
    await emitter.emit({ type: 'step.started', step: 'style' }, 80)
    await emitter.emit({ type: 'step.completed', step: 'style' }, 70)
    expect((await log.read('j', 0)).map((e) => e.progress)).toEqual([50, 80, 80])
  })

  it('reports a failed append to the next caller', async () => {
    const log = createMemoryEventLog()
    const emitter = createJobEmitter({ jobId: 'j', log })
    await emitter.emit({ type: 'job.cancelled' })
    await expect(emitter.emit({ type: 'job.started', attempt: 1 })).rejects.toThrow(/terminal/)
  })

  it('queues events without waiting, in order with tokens and emits, and a failed one fails the next flush', async () => {
    const log = createMemoryEventLog()
    const emitter = createJobEmitter({ jobId: 'j', log, coalesceMs: 10_000 })
    emitter.emitLater({ type: 'step.started', step: 'content' }, 30)
    emitter.token('content', 0, 'Hi', 31)
    emitter.emitLater({ type: 'section.completed', index: 0, title: 't', content: 'Hi' }, 40)
    await emitter.emit({ type: 'step.completed', step: 'content' }, 80)
    expect((await log.read('j', 0)).map((e) => e.type)).toEqual([
      'step.started',
      'token',
      'section.completed',
      'step.completed',
    ])

    const closed = createMemoryEventLog()
    const late = createJobEmitter({ jobId: 'k', log: closed })
    await closed.append({
      type: 'job.cancelled',
      jobId: 'k',
      ts: new Date().toISOString(),
      progress: 0,
    })
    late.emitLater({ type: 'step.started', step: 'style' }, 80)
    await expect(late.flush()).rejects.toThrow(/terminal/)
  })

  it('sends appends without waiting for the ones before, once the first tells where the log is', async () => {
    const log = createMemoryEventLog()
    const held: (() => void)[] = []
    const calls: (number | undefined)[] = []
    // The log answers only when the test lets it: appends are stored at once, answered later.
    const slow: EventLog = {
      ...log,
      append(event, options) {
        calls.push(options?.seq)
        const stored = log.append(event, options)
        return new Promise((resolve, reject) => held.push(() => stored.then(resolve, reject)))
      },
    }
    const emitter = createJobEmitter({ jobId: 'j', log: slow })
    emitter.emitLater({ type: 'job.started', attempt: 1 }, 1)
    emitter.emitLater({ type: 'step.started', step: 'outline' }, 2)
    emitter.emitLater({ type: 'step.completed', step: 'outline' }, 3)
    expect(calls).toEqual([undefined]) // the first, whose answer gives the seq
    held.shift()!()
    await new Promise((resolve) => setImmediate(resolve))
    expect(calls).toEqual([undefined, 2, 3]) // both sent before either was answered
    for (const answer of held.splice(0)) answer()
    await emitter.flush()
    expect((await log.read('j', 0)).map((e) => e.seq)).toEqual([1, 2, 3])
  })

  it('fails every append sent after one that failed, so no text goes missing in between', async () => {
    const log = createMemoryEventLog()
    let n = 0
    const flaky: EventLog = {
      ...log,
      append(event, options) {
        // The second append is lost on the way (a dropped connection, say).
        if (++n === 2) return Promise.reject(new Error('connection lost'))
        return log.append(event, options)
      },
    }
    const emitter = createJobEmitter({ jobId: 'j', log: flaky, coalesceMs: 10_000 })
    await emitter.emit({ type: 'job.started', attempt: 1 }, 1)
    const sent = [
      emitter.emit({ type: 'step.started', step: 'content' }, 2),
      emitter.emit({ type: 'step.completed', step: 'content' }, 3),
    ]
    const outcomes = await Promise.allSettled(sent)
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected'])
    expect((await log.read('j', 0)).map((e) => e.type)).toEqual(['job.started'])
    await expect(emitter.flush()).rejects.toThrow(/connection lost/)
  })

  it('holds its first append until the write it must follow has landed, and fails if that write did', async () => {
    const log = createMemoryEventLog()
    let land = () => {}
    const running = new Promise<void>((resolve) => {
      land = resolve
    })
    const emitter = createJobEmitter({ jobId: 'j', log, after: running })
    emitter.emitLater({ type: 'job.started', attempt: 1 })
    emitter.emitLater({ type: 'step.started', step: 'outline' }, 1)
    await new Promise((r) => setTimeout(r, 10))
    expect(await log.read('j', 0)).toEqual([])
    land()
    await emitter.flush()
    expect((await log.read('j', 0)).map((e) => e.type)).toEqual(['job.started', 'step.started'])

    const refused = createJobEmitter({
      jobId: 'k',
      log,
      after: Promise.reject(new Error('no such job')),
    })
    refused.emitLater({ type: 'job.started', attempt: 1 })
    await expect(refused.flush()).rejects.toThrow('no such job')
    expect(await log.read('k', 0)).toEqual([])
  })
})
