import { startLlmStub } from '@inkflow/llm-stub'
import { startLoadWorkers } from '../load/load-workers.js'
import type { BenchOptions } from '../options.js'
import { startApi } from '../procs/api-server.js'
import { check, round, type ScenarioResult } from '../report/results.js'
import { percentileOf } from '../stats/histogram.js'
import { postJobs, sourceAddresses } from './common.js'

/** The model's time to answer each call: the whole of the physical limit. */
const CALL_MS = 200

/**
 * (f) 50 jobs at once against a chat-completions server that waits 200 ms before each
 * answer (then streams at once). A job can show its first content token no sooner than
 * 2 calls after the POST (outline, first section) and finish no sooner than 5 (outline,
 * three sections, style); the figures are measured from each POST to what its reader sees.
 */
export async function firstWords(options: BenchOptions): Promise<ScenarioResult> {
  const count = options.firstWordsJobs
  const stub = await startLlmStub({ reply: () => ({ delayMs: CALL_MS }) })
  const api = await startApi({
    STORE_URL: options.storeUrl('first-words'),
    LLM_PROVIDER: 'openai',
    OPENAI_API_KEY: 'bench',
    OPENAI_BASE_URL: stub.url,
    MAX_CONCURRENT_JOBS: String(count),
  })
  const load = await startLoadWorkers(1)
  try {
    const jobs = await postJobs(api.baseUrl, count, count)
    await load.open({
      host: api.host,
      port: api.port,
      targets: jobs.map(({ id }) => ({ path: `/api/jobs/${id}/events`, count: 1 })),
      localAddresses: sourceAddresses(1),
      watchContent: true,
    })
    const report = await load.wait(30_000)
    const postedAt = new Map(jobs.map((j) => [`/api/jobs/${j.id}/events`, j.postedAt]))
    const timings = (report.timings ?? []).map((t) => ({
      firstWordsMs: t.firstContentAt ? t.firstContentAt - postedAt.get(t.path)! : Number.NaN,
      completedMs: t.endedAt ? t.endedAt - postedAt.get(t.path)! : Number.NaN,
    }))
    const first = timings.map((t) => t.firstWordsMs)
    const done = timings.map((t) => t.completedMs)
    const firstLimit = 2 * CALL_MS
    const doneLimit = 5 * CALL_MS
    const figures = {
      jobs: count,
      completed: report.completed,
      firstWordsP50Ms: percentileOf(first, 50),
      firstWordsMaxMs: percentileOf(first, 100),
      completedP50Ms: percentileOf(done, 50),
      completedMaxMs: percentileOf(done, 100),
      firstLimitMs: firstLimit,
      doneLimitMs: doneLimit,
      modelCalls: stub.requests.length,
    }
    return {
      scenario: 'first-words',
      summary:
        `first content token p50 ${figures.firstWordsP50Ms} ms (limit ${firstLimit}, ${round(figures.firstWordsP50Ms / firstLimit)}×), ` +
        `all ${count} completed by ${figures.completedMaxMs} ms (limit ${doneLimit}, ${round(figures.completedMaxMs / doneLimit)}×)`,
      targets: [
        check('first words p50 ms', figures.firstWordsP50Ms, '<=', firstLimit * 1.15),
        check(
          'all done ms',
          report.completed === count ? figures.completedMaxMs : Number.NaN,
          '<=',
          doneLimit * 1.15,
        ),
      ],
      figures,
    }
  } finally {
    await load.stop()
    await api.stop()
    await stub.close()
  }
}
