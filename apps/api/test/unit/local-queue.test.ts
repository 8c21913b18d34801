import { describe, expect, it } from 'vitest'
import { createLocalQueue } from '../../src/jobs/local-queue.js'

describe('the local queue', () => {
  it('runs a job queued again while its run was ending once more, after that run', async () => {
    const runs: string[] = []
    let finishFirst = () => {}
    const queue = createLocalQueue({
      concurrency: 1,
      execute: async (jobId) => {
        runs.push(jobId)
        if (runs.length === 1) await new Promise<void>((resolve) => (finishFirst = resolve))
      },
    })
    await queue.enqueue('a')
    expect(runs).toEqual(['a'])
    // Still running (say, parking for its review) when it is queued again: not dropped.
    await queue.enqueue('a')
    await queue.enqueue('a')
    expect(await queue.depth()).toBe(0)
    finishFirst()
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(runs).toEqual(['a', 'a'])
    await queue.stop()
  })

  it('keeps FIFO order and the concurrency limit', async () => {
    const started: string[] = []
    const release: (() => void)[] = []
    const queue = createLocalQueue({
      concurrency: 2,
      execute: (jobId) =>
        new Promise<void>((resolve) => {
          started.push(jobId)
          release.push(resolve)
        }),
    })
    for (const id of ['a', 'b', 'c', 'd']) await queue.enqueue(id)
    expect(started).toEqual(['a', 'b'])
    expect(await queue.depth()).toBe(2)
    release[0]?.()
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(started).toEqual(['a', 'b', 'c'])
    for (const r of release) r()
    await new Promise((resolve) => setTimeout(resolve, 10))
    for (const r of release) r()
    await queue.stop()
    expect(started).toEqual(['a', 'b', 'c', 'd'])
  })
})
