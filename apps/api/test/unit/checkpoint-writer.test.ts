import { describe, expect, it } from 'vitest'
import { createCheckpointWriter } from '../../src/jobs/checkpoint-writer.js'

/** A write that lands when the test says so. */
function gate() {
  let open = () => {}
  let fail: (err: Error) => void = () => {}
  const landed = new Promise<void>((resolve, reject) => {
    open = resolve
    fail = reject
  })
  return { landed, open, fail }
}

describe('the checkpoint writer', () => {
  it('starts each save at once and lets the job go on, waiting only for the save before it', async () => {
    const started: number[] = []
    const gates = [gate(), gate(), gate()]
    const writer = createCheckpointWriter<number>((n) => {
      started.push(n)
      return gates[n]!.landed
    })
    await writer.save(0) // nothing before it: the job goes on at once
    expect(started).toEqual([0])

    let secondReturned = false
    const second = writer.save(1).then(() => {
      secondReturned = true
    })
    await new Promise((r) => setTimeout(r, 5))
    expect(secondReturned).toBe(false) // save 0 has not landed
    expect(started).toEqual([0]) // and save 1 waits for it, so they land in order
    gates[0]!.open()
    await second
    await new Promise((r) => setTimeout(r, 0))
    expect(started).toEqual([0, 1])

    let settled = false
    const all = writer.settled().then(() => {
      settled = true
    })
    await new Promise((r) => setTimeout(r, 5))
    expect(settled).toBe(false)
    gates[1]!.open()
    await all
  })

  it('reports a failed save to the next save and to settled, and writes nothing after it', async () => {
    const started: string[] = []
    const first = gate()
    const writer = createCheckpointWriter<string>(async (name) => {
      started.push(name)
      if (name === 'a') await first.landed
    })
    await writer.save('a')
    first.fail(new Error('disk full'))
    await expect(writer.save('b')).rejects.toThrow('disk full')
    await expect(writer.settled()).rejects.toThrow('disk full')
    expect(started).toEqual(['a'])
  })
})
