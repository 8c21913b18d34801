import { type StubReply, type StubRequest, startLlmStub } from '@inkflow/llm-stub'
import type { BenchOptions } from '../options.js'
import { type ApiServer, startApi } from '../procs/api-server.js'
import { check, type ScenarioResult } from '../report/results.js'
import { summarizeLags } from '../stats/lag-summary.js'
import { burstOfJobs, sleep } from './common.js'

/** Like a real model: a wait before the first token, then one token every 20 ms. */
const CALL_MS = 200
const TOKEN_MS = 20
/**
 * The outline's call waits longer, so every reader has connected and been through its
 * replay before the first words: at 200 ms, on this machine under other work, the readers
 * of one run all connected after the outline's first words (replayed, so unmeasured), and
 * a reader still joining would time its join, not the delivery. The lag does not depend on
 * the wait once it is past the 50 ms coalescing window (first words then go out at once).
 */
const OUTLINE_CALL_MS = 1000
/**
 * Each call waits up to a token's time longer, by its number (7 and 20 are coprime, so 20 calls
 * in a row take every offset once): 20 real models would not answer in the same millisecond, and
 * the stub's timers would, making every job's first words queue behind the others'.
 */
const spread = (request: StubRequest) => (request.index * 7) % TOKEN_MS
/** The stub's default article: the outline, its three sections and the style pass. */
const KEYS_PER_JOB = 5
/** What a reader should wait for words the model has sent, beyond the wire: next to nothing. */
const LAG_LIMIT_MS = 5

/**
 * The unmeasured burst before: the same paths as the measured bursts, quickly — paced
 * tokens, coalescing timers, first words sent at once after a wait (60 ms ≥ the 50 ms
 * window), stamps — so the first measured outline does not run them cold.
 */
const WARM_UP: StubReply = { delayMs: 60, tokenDelayMs: 2, stampFirstToken: true }

const trickle = (request: StubRequest): StubReply => ({
  // The outline prompt is the one asking for YAML (as the stub's own default writer tells).
  delayMs:
    (request.body.messages.at(-1)?.content.includes('YAML') ? OUTLINE_CALL_MS : CALL_MS) +
    spread(request),
  tokenDelayMs: TOKEN_MS,
  stampFirstToken: true,
})

/** One burst: `count` jobs POSTed at once, one reader each; returns each reader's lags. */
async function burst(api: ApiServer, count: number, round: number) {
  const bodies = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ topic: `trickle topic ${round}.${i}` }),
  )
  const { report } = await burstOfJobs(api, bodies, { watchFirstWords: true }, 60_000)
  return { completed: report.completed, lags: (report.timings ?? []).map((t) => t.firstWords) }
}

/**
 * (g) First words while the model trickles: 20 jobs at once against a chat-completions
 * server that waits 200 ms before each answer (1 s for the outline: see `OUTLINE_CALL_MS`),
 * then sends one token every 20 ms, stamping the first with the time it leaves
 * (`stampFirstToken`). For each step and section
 * (outline, each content section, style), the lag from that stamp to the reader holding
 * the words, p50 and p99 over all jobs: what the server adds between a model's first
 * words and a reader's screen. The jobs are few so the figure is latency, not saturation.
 *
 * A burst of quickly answered jobs runs first, unmeasured (`WARM_UP`), so the measured
 * ones meet a server in service (see `first-words` for how much a fresh process differs);
 * then `rounds` measured bursts, one after the other.
 */
export async function firstWordsTrickle(options: BenchOptions): Promise<ScenarioResult> {
  const { jobs, rounds } = options.firstWordsTrickle
  const stub = await startLlmStub({ reply: () => WARM_UP })
  const api = await startApi(options.apiMain, {
    STORE_URL: options.storeUrl('first-words-trickle'),
    LLM_PROVIDER: 'openai',
    OPENAI_API_KEY: 'bench',
    OPENAI_BASE_URL: stub.url,
    MAX_CONCURRENT_JOBS: String(jobs),
  })
  try {
    const warmUp = await burst(api, jobs, 0)
    if (warmUp.completed !== jobs) throw new Error(`warm-up: ${warmUp.completed}/${jobs} done`)
    stub.setReply(trickle)
    let completed = 0
    const lags: (Record<string, number | null> | undefined)[] = []
    for (let round = 1; round <= rounds; round++) {
      await sleep(500)
      const measured = await burst(api, jobs, round)
      completed += measured.completed
      lags.push(...measured.lags)
    }
    const { byKey, all } = summarizeLags(lags)
    const expected = jobs * rounds * KEYS_PER_JOB
    const slowest = Math.max(...Object.values(byKey).map((f) => f.p50Ms))
    const perKey = Object.entries(byKey)
      .map(([key, f]) => `${key} ${f.p50Ms}/${f.p99Ms}`)
      .join(', ')
    return {
      scenario: 'first-words-trickle',
      summary:
        `${jobs} jobs × ${rounds}, ${TOKEN_MS} ms a token: model's first words → reader, ` +
        `p50/p99 ms: ${perKey}; all ${all.p50Ms}/${all.p99Ms} (max ${all.maxMs}, ` +
        `${all.n} of ${expected} measured)`,
      targets: [
        check('lag p50 ms', all.p50Ms, '<=', LAG_LIMIT_MS),
        check('slowest step p50 ms', slowest, '<=', LAG_LIMIT_MS),
        check('measured', completed === jobs * rounds ? all.n : Number.NaN, '>=', expected),
      ],
      figures: {
        jobs,
        rounds,
        callMs: CALL_MS,
        outlineCallMs: OUTLINE_CALL_MS,
        tokenMs: TOKEN_MS,
        completed,
        expected,
        all,
        byKey,
        modelCalls: stub.requests.length,
      },
    }
  } finally {
    await api.stop()
    await stub.close()
  }
}
