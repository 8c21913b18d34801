import { describe, expect, it } from 'vitest'
import { closeAfterEach } from '../helpers/close-after-each.js'
import { readStream } from '../helpers/sse-reader.js'
import { createJob, startTestServer } from '../helpers/test-server.js'

const closing = closeAfterEach()

// Guards an optimisation, not the contract: a stream of one event per token would be correct,
// only far more frames to write, send and parse.
describe('perf-guard: token coalescing on the wire', () => {
  it('coalesces tokens into far fewer events than words', async () => {
    const fast = closing(await startTestServer({ env: { DEMO_TOKEN_DELAY_MS: '0' } }))
    const id = await createJob(fast.baseUrl, 'coalescing')
    const { events } = await readStream(`${fast.baseUrl}/api/jobs/${id}/events`)
    const done = events.at(-1)
    expect(done?.type).toBe('job.completed')
    if (done?.type !== 'job.completed') return
    const words = done.article.markdown.split(/\s+/).length
    expect(words).toBeGreaterThan(100)
    const tokens = events.filter((e) => e.type === 'token').length
    expect(tokens).toBeGreaterThan(0)
    expect(tokens).toBeLessThan(words / 4)
  })
})
