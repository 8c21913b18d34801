import { TOPIC_MAX_LENGTH } from '@inkflow/shared'
import type { Express } from 'express'
import type { Logger } from 'pino'
import { type RedisReply, RedisStore } from 'rate-limit-redis'
import type { Settings } from '../env.js'
import { createFeed } from '../events/feed.js'
import { createApp } from '../http/create-app.js'
import { encodeEventFrame } from '../http/sse/sse-frames.js'
import type { OpenStream } from '../http/sse/stream-session.js'
import { createBullmqQueue } from '../jobs/bullmq/bullmq-queue.js'
import { createJobExecutor } from '../jobs/execute-job.js'
import { createJobFinisher, UNEXPECTED_FAILURE } from '../jobs/finish-job.js'
import type { JobExecutor, JobQueue } from '../jobs/job-queue.js'
import { createJobService } from '../jobs/job-service.js'
import { createLocalQueue } from '../jobs/local-queue.js'
import { createRetentionSweep } from '../jobs/retention-sweep.js'
import type { LlmClient } from '../llm/llm.js'
import { instrumentEventLog } from '../observability/instrumented-event-log.js'
import { instrumentLlm } from '../observability/instrumented-llm.js'
import { createMetrics } from '../observability/metrics.js'
import { createSpendLedger } from './create-spend-ledger.js'
import type { Storage } from './create-storage.js'

export interface Runtime {
  app: Express
  /** Re-queues the jobs a previous process left `queued` or `running`, oldest first. */
  recover(): Promise<number>
  /** Stops the queue (running jobs keep their checkpoints) and ends open streams. */
  stop(): Promise<void>
}

/**
 * The composition root: wires storage, model, events, queue and HTTP app together for one
 * process. Everything else receives what it needs from here.
 */
export function createRuntime(deps: {
  settings: Settings
  storage: Storage
  llm: LlmClient
  logger: Logger
}): Runtime {
  const { settings, storage, logger } = deps
  const metrics = createMetrics()
  const llm = instrumentLlm(deps.llm, metrics)
  const events = instrumentEventLog(storage.events, metrics)
  // Every stream of this process reads its job's events through the feed, framed once.
  const feed = createFeed({ log: events, encode: encodeEventFrame })
  const openStreams = new Set<OpenStream>()
  // Model tokens spent per client per day, in the store (shared by every instance in redis mode).
  const spend = createSpendLedger(settings.storeUrl, storage)
  const finish = createJobFinisher({ jobs: storage.jobs, events })
  const execute = createJobExecutor({
    jobs: storage.jobs,
    events,
    finish,
    llm,
    logger,
    maxAttempts: settings.llm.maxAttempts,
    spend,
    tokens: {
      jobLimit: settings.budget.jobTokenLimit,
      maxOutputTokens: settings.llm.maxOutputTokens,
      dailyPerClient: settings.budget.dailyTokensPerClient,
    },
  })
  const queue = createQueue(storage, settings, logger, execute, async (jobId) => {
    // BullMQ gave up on the job (its attempts spent): record the end so its streams end.
    const job = await storage.jobs.get(jobId)
    if (!job || job.status === 'completed' || job.status === 'cancelled') return
    await finish(jobId, { status: 'failed', error: UNEXPECTED_FAILURE }, { progress: job.progress })
  })
  const service = createJobService({
    jobs: storage.jobs,
    events,
    queue,
    finish,
    maxQueuedJobs: settings.limits.maxQueuedJobs,
    spend,
  })
  const redis = storage.redis
  const app = createApp({
    jobs: storage.jobs,
    feed,
    service,
    logger,
    metrics,
    apiToken: settings.apiToken,
    trustProxy: settings.trustProxy,
    budget: { perDay: settings.budget.dailyTokensPerClient, ledger: spend },
    limits: settings.limits,
    // Every API instance counts job creations in Redis, so the limit holds across instances.
    rateLimitStore: redis
      ? new RedisStore({
          prefix: `${redis.keyPrefix}:rate-limit:`,
          sendCommand: (command: string, ...args: string[]) =>
            redis.commands.call(command, ...args) as Promise<RedisReply>,
        })
      : undefined,
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
      await spend.close()
    },
  }
}

/**
 * `redis` runs jobs on BullMQ, shared by every process (`ROLE=api` only adds and cancels);
 * the other stores run them in this process.
 */
function createQueue(
  storage: Storage,
  settings: Settings,
  logger: Logger,
  execute: JobExecutor,
  onFinalFailure: (jobId: string) => Promise<void>,
): JobQueue {
  const redis = storage.redis
  if (!redis) {
    return createLocalQueue({
      concurrency: settings.maxConcurrentJobs,
      execute,
      onError: (err, jobId) => logger.error({ err, jobId }, 'job runner crashed'),
    })
  }
  return createBullmqQueue({
    connection: redis.target,
    commands: redis.commands,
    keyPrefix: redis.keyPrefix,
    instanceName: redis.instanceName,
    logger,
    worker:
      settings.role === 'api'
        ? undefined
        : {
            execute,
            concurrency: settings.maxConcurrentJobs,
            stallIntervalMs: settings.redis.stallIntervalMs,
            onFinalFailure,
          },
  })
}
