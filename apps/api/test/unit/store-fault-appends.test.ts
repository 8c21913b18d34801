import { describe, expect, it } from 'vitest'
import {
  type EventLog,
  type StoreFaultPolicy,
  StoreOutageError,
} from '../../src/events/event-log.js'
import { createJobEmitter } from '../../src/events/job-emitter.js'
import { createMemoryEventLog } from '../../src/store/memory/memory-event-log.js'

class DiskFull extends Error {
  readonly code = 'SQLITE_FULL'
}

const policy = (outageTimeoutMs: number, heard: string[] = []): StoreFaultPolicy => ({
  isTransient: (err) => err instanceof DiskFull,
  outageTimeoutMs,
  onFault: () => heard.push('fault'),
  onRecovered: () => heard.push('recovered'),
})

/** A log whose appends fail with `DiskFull` while `full` says so, storing nothing. */
function fillableLog(options: { loseAnswers?: boolean } = {}) {
  const log = createMemoryEventLog()
  const state = { full: false, calls: 0 }
  const fillable: EventLog = {
    ...log,
    append(event, appendOptions) {
      state.calls++
      if (!state.full) return log.append(event, appendOptions)
      if (!options.loseAnswers) return Promise.reject(new DiskFull('database or disk is full'))
      // The append lands but its answer is lost, as when Redis goes away mid-reply.
      return log.append(event, appendOptions).then(() => {
        throw new DiskFull('connection lost after the write')
      })
    },
  }
  return { log, fillable, state }
}

describe('appends that meet a storage fault that may pass', () => {
  it('are sent again in place, in order, so the log gets no hole and nothing twice', async () => {
    const { log, fillable, state } = fillableLog()
    const heard: string[] = []
    const emitter = createJobEmitter({
      jobId: 'j',
      log: fillable,
      coalesceMs: 1,
      faults: policy(10_000, heard),
    })
    await emitter.emit({ type: 'job.started', attempt: 1 }, 1)
    state.full = true
    emitter.emitLater({ type: 'step.started', step: 'content' }, 30)
    for (const text of ['one ', 'two ', 'three']) emitter.token('content', 0, text, 31)
    const completed = emitter.emit(
      { type: 'section.completed', index: 0, title: 't', content: 'one two three' },
      40,
    )
    await new Promise((r) => setTimeout(r, 120))
    expect(state.calls).toBeGreaterThan(2) // tried again meanwhile
    expect((await log.read('j', 0)).map((e) => e.type)).toEqual(['job.started'])
    state.full = false
    await completed
    await emitter.flush()
    const events = await log.read('j', 0)
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
    const tokens = events.flatMap((e) => (e.type === 'token' ? [e.text] : []))
    expect(tokens.join('')).toBe('one two three')
    expect(events.at(-1)?.type).toBe('section.completed')
    expect(heard.at(-1)).toBe('recovered')
  })

  it('takes an append whose answer was lost as stored when the log holds it', async () => {
    const { log, fillable, state } = fillableLog({ loseAnswers: true })
    const emitter = createJobEmitter({ jobId: 'j', log: fillable, faults: policy(10_000) })
    await emitter.emit({ type: 'job.started', attempt: 1 }, 1)
    state.full = true
    const started = emitter.emit({ type: 'step.started', step: 'outline' }, 2)
    await new Promise((r) => setTimeout(r, 30))
    state.full = false
    expect((await started).seq).toBe(2)
    await emitter.emit({ type: 'step.completed', step: 'outline' }, 30)
    expect((await log.read('j', 0)).map((e) => e.type)).toEqual([
      'job.started',
      'step.started',
      'step.completed',
    ])
  })

  it('give up past the outage timeout with StoreOutageError, and every later append fails', async () => {
    const { log, fillable, state } = fillableLog()
    const failures: unknown[] = []
    const emitter = createJobEmitter({
      jobId: 'j',
      log: fillable,
      faults: policy(150),
      onFailure: (err) => failures.push(err),
    })
    await emitter.emit({ type: 'job.started', attempt: 1 }, 1)
    state.full = true
    await expect(emitter.emit({ type: 'step.started', step: 'outline' }, 2)).rejects.toBeInstanceOf(
      StoreOutageError,
    )
    expect(failures.length).toBe(1)
    expect(failures[0]).toBeInstanceOf(StoreOutageError)
    state.full = false
    await expect(emitter.emit({ type: 'step.completed', step: 'outline' })).rejects.toBeInstanceOf(
      StoreOutageError,
    )
    expect((await log.read('j', 0)).map((e) => e.type)).toEqual(['job.started'])
  })

  it('without a fault policy fail at once, as before', async () => {
    const { fillable, state } = fillableLog()
    const emitter = createJobEmitter({ jobId: 'j', log: fillable })
    await emitter.emit({ type: 'job.started', attempt: 1 }, 1)
    state.full = true
    await expect(emitter.emit({ type: 'step.started', step: 'outline' })).rejects.toBeInstanceOf(
      DiskFull,
    )
  })
})
