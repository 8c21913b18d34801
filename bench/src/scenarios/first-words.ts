import { type LlmStub, startLlmStub } from '@inkflow/llm-stub'
import { type ChainTiming, chainsByTopic } from '../load/model-call-chains.js'
import type { BenchOptions } from '../options.js'
import { type ApiServer, startApi } from '../procs/api-server.js'
import { startBareClient } from '../procs/bare-client.js'
import { check, round, type ScenarioResult } from '../report/results.js'
import { percentileOf } from '../stats/histogram.js'
import { burstOfJobs, sleep } from './common.js'

/** The model's time to answer each call: the whole of the arithmetic limit. */
const CALL_MS = 200
const FIRST_LIMIT_MS = 2 * CALL_MS
const DONE_LIMIT_MS = 5 * CALL_MS
/** How much longer than the bare client inkflow may take, for first words and for all done. */
const VS_BARE_LIMIT = 1.15

/** The figures of one burst, inkflow's or the bare client's. */
interface BurstFigures {
  completed: number
  firstWordsP50Ms: number
  firstWordsMaxMs: number
  completedP50Ms: number
  completedMaxMs: number
}

function summarize(first: number[], done: number[]): Omit<BurstFigures, 'completed'> {
  return {
    firstWordsP50Ms: percentileOf(first, 50),
    firstWordsMaxMs: percentileOf(first, 100),
    completedP50Ms: percentileOf(done, 50),
    completedMaxMs: percentileOf(done, 100),
  }
}

/** Topics that do not contain one another, so each model call can be told by its job's. */
const topicsOf = (burst: string, count: number) =>
  Array.from({ length: count }, (_, i) => `bench topic ${burst} ${String(i).padStart(4, '0')}`)

/**
 * One burst: `count` jobs POSTed at once, one reader each, timed from each POST. Also
 * returns the model calls the jobs made, one chain per job, for the bare client to repeat.
 */
async function burst(api: ApiServer, stub: LlmStub, topics: string[]) {
  const from = stub.requests.length
  const bodies = topics.map((topic) => JSON.stringify({ topic }))
  const { jobs, report } = await burstOfJobs(api, bodies, { watchContent: true }, 30_000)
  const postedAt = new Map(jobs.map((j) => [`/api/jobs/${j.id}/events`, j.postedAt]))
  const timings = report.timings ?? []
  const first = timings.map((t) =>
    t.firstContentAt ? t.firstContentAt - postedAt.get(t.path)! : Number.NaN,
  )
  const done = timings.map((t) => (t.endedAt ? t.endedAt - postedAt.get(t.path)! : Number.NaN))
  const calls = stub.requests.slice(from).map((r) => r.body)
  return {
    figures: { completed: report.completed, ...summarize(first, done) },
    chains: chainsByTopic(calls, topics),
  }
}

/** The bare client's timings, whole milliseconds like inkflow's (`Date.now()` on both ends). */
const bareFigures = (timings: ChainTiming[]): BurstFigures => ({
  completed: timings.filter((t) => Number.isFinite(t.doneMs)).length,
  ...summarize(
    timings.map((t) => Math.round(t.firstContentMs)),
    timings.map((t) => Math.round(t.doneMs)),
  ),
})

/**
 * (f) 50 jobs at once against a chat-completions server that waits 200 ms before each
 * answer (then streams at once). A job can show its first content token no sooner than
 * 2 calls after the POST (outline, first section) and finish no sooner than 5 (outline,
 * three sections, style); the figures are measured from each POST's write on its socket
 * (from the load worker, connections opened beforehand) to what its reader sees.
 *
 * That arithmetic floor ignores what the machine itself costs 50 clients waiting on one
 * stub, so each burst is followed by a bare client (`runChains`, its own process) making the
 * same calls — the bodies inkflow's jobs sent, as the stub recorded them — to the same stub
 * at the same concurrency; the targets allow inkflow 15 % over the bare client's figures.
 *
 * Two bursts of each on one server: the first meets a process that has never run a job
 * (every function still interpreted, the SDK's paths cold), the second the server as it is
 * in service. The targets are checked on the second; the first is reported beside it.
 */
export async function firstWords(options: BenchOptions): Promise<ScenarioResult> {
  const count = options.firstWordsJobs
  const stub = await startLlmStub({ reply: () => ({ delayMs: CALL_MS }) })
  const bare = await startBareClient()
  const api = await startApi(options.apiMain, {
    STORE_URL: options.storeUrl('first-words'),
    LLM_PROVIDER: 'openai',
    OPENAI_API_KEY: 'bench',
    OPENAI_BASE_URL: stub.url,
    MAX_CONCURRENT_JOBS: String(count),
  })
  try {
    // inkflow and the bare client take turns, so a slow minute of the machine costs both.
    const cold = await burst(api, stub, topicsOf('cold', count))
    await sleep(1000)
    const bareCold = bareFigures(await bare.run(stub.url, cold.chains))
    await sleep(1000)
    const warm = await burst(api, stub, topicsOf('warm', count))
    await sleep(1000)
    const bareWarm = bareFigures(await bare.run(stub.url, warm.chains))
    const vsBare = (ms: number, bareMs: number) => round(ms / bareMs)
    const figures = {
      jobs: count,
      ...warm.figures,
      cold: cold.figures,
      bare: bareWarm,
      bareCold,
      callsPerJob: warm.chains.map((chain) => chain.length),
      firstLimitMs: FIRST_LIMIT_MS,
      doneLimitMs: DONE_LIMIT_MS,
      modelCalls: stub.requests.length,
    }
    const w = warm.figures
    const c = cold.figures
    return {
      scenario: 'first-words',
      summary:
        `first content token p50 ${w.firstWordsP50Ms} ms (bare client ${bareWarm.firstWordsP50Ms}, ` +
        `${vsBare(w.firstWordsP50Ms, bareWarm.firstWordsP50Ms)}×; limit ${FIRST_LIMIT_MS}), ` +
        `all ${count} completed by ${w.completedMaxMs} ms (bare ${bareWarm.completedMaxMs}, ` +
        `${vsBare(w.completedMaxMs, bareWarm.completedMaxMs)}×; limit ${DONE_LIMIT_MS}); ` +
        `first burst on a fresh process ${c.firstWordsP50Ms} / ${c.completedMaxMs} ms ` +
        `(bare ${bareCold.firstWordsP50Ms} / ${bareCold.completedMaxMs})`,
      targets: [
        check(
          'first words p50 ms',
          w.firstWordsP50Ms,
          '<=',
          bareWarm.firstWordsP50Ms * VS_BARE_LIMIT,
        ),
        check(
          'all done ms',
          w.completed === count ? w.completedMaxMs : Number.NaN,
          '<=',
          bareWarm.completedMaxMs * VS_BARE_LIMIT,
        ),
      ],
      figures,
    }
  } finally {
    await api.stop()
    await bare.stop()
    await stub.close()
  }
}
