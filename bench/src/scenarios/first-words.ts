import { startLlmStub } from '@inkflow/llm-stub'
import { startLoadWorkers } from '../load/load-workers.js'
import type { BenchOptions } from '../options.js'
import { type ApiServer, startApi } from '../procs/api-server.js'
import { check, round, type ScenarioResult } from '../report/results.js'
import { percentileOf } from '../stats/histogram.js'
import { sleep, sourceAddresses } from './common.js'

/** The model's time to answer each call: the whole of the physical limit. */
const CALL_MS = 200
const FIRST_LIMIT_MS = 2 * CALL_MS
const DONE_LIMIT_MS = 5 * CALL_MS

/** One burst: `count` jobs POSTed at once, one reader each, timed from each POST. */
async function burst(api: ApiServer, count: number) {
  const load = await startLoadWorkers(1)
  try {
    const jobs = await load.post({
      host: api.host,
      port: api.port,
      path: '/api/jobs',
      bodies: Array.from({ length: count }, (_, i) =>
        JSON.stringify({ topic: `bench topic ${i}` }),
      ),
    })
    await load.open({
      host: api.host,
      port: api.port,
      targets: jobs.map(({ id }) => ({ path: `/api/jobs/${id}/events`, count: 1 })),
      localAddresses: sourceAddresses(1),
      watchContent: true,
    })
    const report = await load.wait(30_000)
    const postedAt = new Map(jobs.map((j) => [`/api/jobs/${j.id}/events`, j.postedAt]))
    const timings = report.timings ?? []
    const first = timings.map((t) =>
      t.firstContentAt ? t.firstContentAt - postedAt.get(t.path)! : Number.NaN,
    )
    const done = timings.map((t) => (t.endedAt ? t.endedAt - postedAt.get(t.path)! : Number.NaN))
    return {
      completed: report.completed,
      firstWordsP50Ms: percentileOf(first, 50),
      firstWordsMaxMs: percentileOf(first, 100),
      completedP50Ms: percentileOf(done, 50),
      completedMaxMs: percentileOf(done, 100),
    }
  } finally {
    await load.stop()
  }
}

/**
 * (f) 50 jobs at once against a chat-completions server that waits 200 ms before each
 * answer (then streams at once). A job can show its first content token no sooner than
 * 2 calls after the POST (outline, first section) and finish no sooner than 5 (outline,
 * three sections, style); the figures are measured from each POST's write on its socket
 * (from the load worker, connections opened beforehand) to what its reader sees.
 *
 * Two bursts on one server: the first meets a process that has never run a job (every
 * function still interpreted, the SDK's paths cold), the second the server as it is in
 * service. The targets are checked on the second; the first is reported beside it.
 */
export async function firstWords(options: BenchOptions): Promise<ScenarioResult> {
  const count = options.firstWordsJobs
  const stub = await startLlmStub({ reply: () => ({ delayMs: CALL_MS }) })
  const api = await startApi(options.apiMain, {
    STORE_URL: options.storeUrl('first-words'),
    LLM_PROVIDER: 'openai',
    OPENAI_API_KEY: 'bench',
    OPENAI_BASE_URL: stub.url,
    MAX_CONCURRENT_JOBS: String(count),
  })
  try {
    const cold = await burst(api, count)
    await sleep(1000)
    const warm = await burst(api, count)
    const figures = {
      jobs: count,
      ...warm,
      cold,
      firstLimitMs: FIRST_LIMIT_MS,
      doneLimitMs: DONE_LIMIT_MS,
      modelCalls: stub.requests.length,
    }
    const ratio = (ms: number, limit: number) => `${round(ms / limit)}×`
    return {
      scenario: 'first-words',
      summary:
        `first content token p50 ${warm.firstWordsP50Ms} ms (limit ${FIRST_LIMIT_MS}, ${ratio(warm.firstWordsP50Ms, FIRST_LIMIT_MS)}), ` +
        `all ${count} completed by ${warm.completedMaxMs} ms (limit ${DONE_LIMIT_MS}, ${ratio(warm.completedMaxMs, DONE_LIMIT_MS)}); ` +
        `first burst on a fresh process ${cold.firstWordsP50Ms} / ${cold.completedMaxMs} ms`,
      targets: [
        check('first words p50 ms', warm.firstWordsP50Ms, '<=', FIRST_LIMIT_MS * 1.15),
        check(
          'all done ms',
          warm.completed === count ? warm.completedMaxMs : Number.NaN,
          '<=',
          DONE_LIMIT_MS * 1.15,
        ),
      ],
      figures,
    }
  } finally {
    await api.stop()
    await stub.close()
  }
}
