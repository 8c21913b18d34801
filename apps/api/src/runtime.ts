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
import { instrumentEventLog } from './observability/instrumented-event-log.js'
import { instrumentLlm } from './observability/instrumented-llm.js'
import { createMetrics } from './observability/metrics.js'
import type { Storage } from './store/create-storage.js'
import { withRecentEvents } from './store/recent-events.js'
import { createRetentionSweep } from './store/retention-sweep.js'

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
  const { settings, storage, logger } = deps
  const metrics = createMetrics()
  const llm = instrumentLlm(deps.llm, metrics)
  // Streams replay followed jobs from memory; everything else reads the log.
  const events = withRecentEvents(instrumentEventLog(storage.events, metrics))
  const openStreams = new Set<OpenStream>()
  const execute = createJobExecutor({
    jobs: storage.jobs,
    events,
    llm,
    logger,
    maxAttempts: settings.llm.maxAttempts,
  })
  // `redis` brings BullMQ, shared by every process (ROLE=api only adds and cancels jobs);
  // the other stores run jobs in this process.
  const queue =
    storage.createQueue?.({
      execute,
      concurrency: settings.maxConcurrentJobs,
      runJobs: settings.role !== 'api',
      logger,
    }) ??
    createLocalQueue({
      concurrency: settings.maxConcurrentJobs,
      execute,
      onError: (err, jobId) => logger.error({ err, jobId }, 'job runner crashed'),
    })
  const service = createJobService({
    jobs: storage.jobs,
    events,
    queue,
    maxQueuedJobs: settings.limits.maxQueuedJobs,
    expediteStarts: llm.provider !== 'demo',
  })
  const app = createApp({
    jobs: storage.jobs,
    events,
    service,
    logger,
    metrics,
    apiToken: settings.apiToken,
    limits: settings.limits,
    rateLimitStore: storage.rateLimitStore,
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

  // Finished jobs and their events are kept for JOB_TTL, then swept.
  const retention = createRetentionSweep({
    jobs: storage.jobs,
    events: storage.events,
    jobTtlMs: settings.jobTtlMs,
    onSwept: (removed) => logger.info({ removed }, 'removed expired jobs'),
    onError: (err) => logger.error({ err }, 'retention sweep failed'),
  })
  retention.start()

  return {
    app,
    async recover() {
      const unfinished = await storage.jobs.listUnfinished()
      for (const job of unfinished) await queue.enqueue(job.id)
      return unfinished.length
    },
    async stop() {
      await retention.stop()
      await queue.stop()
      for (const stream of [...openStreams]) stream.close()
    },
  }
}
