import { isOutline, isStyle, type LlmStub, startLlmStub } from '@inkflow/llm-stub'
import { createJob, waitUntil } from '../helpers/job-client.js'
import { stubModelEnv } from '../process/spawn-api.js'
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../store/redis-test-support.js'
import { type ClusterProcess, startProcess } from './cluster-process.js'

/** Words per section reply; each word names the stub request it came from (`r3w17`). */
export const SECTION_WORDS = 40

/**
 * Section replies are slow and traceable; outline and style replies are quick defaults. A
 * section asked to carry on from its cut-off words (`r3w17` last) goes on at word 18, each
 * word named by the request that wrote it.
 */
export function startPacedStub(tokenDelayMs: number): Promise<LlmStub> {
  return startLlmStub({
    reply: (request) => {
      const { messages } = request.body
      if (isOutline(request) || isStyle(request)) {
        return { tokenDelayMs: 1 }
      }
      const written = messages.find((m) => m.role === 'assistant')?.content
      const from = written ? Number(/w(\d+)\s*$/.exec(written)?.[1] ?? -1) + 1 : 0
      const words = Array.from(
        { length: SECTION_WORDS - from },
        (_, i) => `r${request.index}w${from + i}`,
      )
      return { text: (from > 0 ? ' ' : '') + words.join(' '), tokenDelayMs }
    },
  })
}

export interface Cluster {
  apis: [ClusterProcess, ClusterProcess]
  workers: ClusterProcess[]
  stub: LlmStub
  prefix: string
  /** Starts one more worker (to replace one a test killed). */
  addWorker(): Promise<ClusterProcess>
  /** Posts a job to an API; returns its id. */
  post(api: ClusterProcess, topic: string): Promise<string>
  /** The worker whose log says it picked the job up (the latest such worker). */
  workerRunning(jobId: string, ms?: number): Promise<ClusterProcess>
  stop(): Promise<void>
}

/**
 * Two API instances (`ROLE=api`) and two workers (`ROLE=worker`) of the built API, sharing
 * the test Redis under a fresh key prefix, with the paced stub as their model.
 */
export async function startCluster(options: {
  tokenDelayMs: number
  stallIntervalMs: number
  /** More settings for every process. */
  env?: Record<string, string>
}) {
  const stub = await startPacedStub(options.tokenDelayMs)
  const prefix = uniquePrefix('cluster')
  const env = {
    STORE_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    HOST: '127.0.0.1',
    PORT: '0',
    STALL_INTERVAL_MS: String(options.stallIntervalMs),
    ...stubModelEnv(stub.url),
    RATE_LIMIT_PER_MINUTE: '0',
    MAX_STREAMS_PER_CLIENT: '10000',
    LOG_LEVEL: 'info',
    ...options.env,
  }
  const all: ClusterProcess[] = []
  const start = async (role: 'api' | 'worker') => {
    const p = await startProcess(role, env)
    all.push(p)
    return p
  }
  try {
    const [a, b, w1, w2] = await Promise.all([
      start('api'),
      start('api'),
      start('worker'),
      start('worker'),
    ])
    const workers = [w1, w2]
    const cluster: Cluster = {
      apis: [a, b],
      workers,
      stub,
      prefix,
      async addWorker() {
        const w = await start('worker')
        workers.push(w)
        return w
      },
      post: (api, topic) => createJob(api.url!, topic),
      workerRunning(jobId, ms = 15_000) {
        const pickedAt = (w: ClusterProcess) =>
          w.lines
            .filter((l) => l.msg === 'job picked up' && l.jobId === jobId)
            .reduce((latest, l) => Math.max(latest, Number(l.time)), -1)
        return waitUntil(() => {
          const found = workers.filter((w) => pickedAt(w) >= 0)
          return found.sort((x, y) => pickedAt(y) - pickedAt(x))[0]
        }, ms)
      },
      async stop() {
        for (const p of all) p.kill('SIGKILL')
        await Promise.all(all.map((p) => p.exited))
        await stub.close()
        await deleteKeys(TEST_REDIS_URL, [prefix])
      },
    }
    return cluster
  } catch (err) {
    for (const p of all) p.kill('SIGKILL')
    await stub.close()
    throw err
  }
}
