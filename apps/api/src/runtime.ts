import { TOPIC_MAX_LENGTH } from '@inkflow/shared'
import type { Express } from 'express'
import type { Logger } from 'pino'
import { createApp } from './app.js'
import type { Settings } from './env.js'
import type { OpenStream } from './http/event-stream.js'
import { createJobExecutor } from './jobs/execute-job.js'
import { createJobService } from './jobs/job-service.js'
import { createLocalQueue } from './jobs/local-queue.js'
import type { LlmClient } from './llm/llm.js'
import type { Storage } from './store/create-storage.js'

export interface Runtime {
  app: Express
  /** Re-queues the jobs a previous process left `queued` or `running`, oldest first. */
  recover(): Promise<number>
  /** Stops the queue (running jobs keep their checkpoints) and ends open streams. */
  stop(): Promise<void>
}

/** Wires storage, model, queue and HTTP app together for one process. */
export function createRuntime(deps: {
  settings: Settings
  storage: Storage
  llm: LlmClient
  logger: Logger
}): Runtime {
  const { settings, storage, llm, logger } = deps
  const openStreams = new Set<OpenStream>()
  const queue = createLocalQueue({
    concurrency: settings.maxConcurrentJobs,
    execute: createJobExecutor({ jobs: storage.jobs, events: storage.events, llm, logger }),
    onError: (err, jobId) => logger.error({ err, jobId }, 'job runner crashed'),
  })
  const service = createJobService({ jobs: storage.jobs, events: storage.events, queue })
  const app = createApp({
    jobs: storage.jobs,
    events: storage.events,
    service,
    logger,
    corsOrigins: settings.corsOrigins,
    heartbeatMs: settings.heartbeatMs,
    openStreams,
    config: {
      provider: llm.provider,
      model: llm.model,
      limits: {
        topicMaxLength: TOPIC_MAX_LENGTH,
        maxConcurrentJobs: settings.maxConcurrentJobs,
        heartbeatMs: settings.heartbeatMs,
      },
    },
  })

  return {
    app,
    async recover() {
      const unfinished = await storage.jobs.listUnfinished()
      for (const job of unfinished) await queue.enqueue(job.id)
      return unfinished.length
    },
    async stop() {
      await queue.stop()
      for (const stream of [...openStreams]) stream.close()
    },
  }
}
