import { writeSync } from 'node:fs'
import { type JobError, TOPIC_MAX_LENGTH } from '@inkflow/shared'
import type { Express } from 'express'
import type { Logger } from 'pino'
import { type RedisReply, RedisStore } from 'rate-limit-redis'
import type { Settings } from '../env.js'
import { createApp } from '../http/create-app.js'
import type { OpenStream } from '../http/sse/stream-session.js'
import { createBullmqQueue } from '../jobs/bullmq/bullmq-queue.js'
import { createJobExecutor } from '../jobs/execute-job.js'
import { createJobFinisher } from '../jobs/finish-job.js'
import type { JobExecutor, JobQueue } from '../jobs/job-queue.js'
import { createJobService } from '../jobs/job-service.js'
import { createLocalQueue } from '../jobs/local-queue.js'
import { createOutlineReview } from '../jobs/outline-review.js'
import { createRetentionSweep } from '../jobs/retention-sweep.js'
import { createReviewExpirySweep } from '../jobs/review-expiry-sweep.js'
import { createStoreHealth } from '../jobs/store-health.js'
import { createStoreRecovery } from '../jobs/store-recovery.js'
import type { Failpoint } from '../lib/failpoint.js'
import type { LlmClient } from '../llm/llm.js'
import { instrumentEvents } from '../observability/instrumented-event-log.js'
import { instrumentLlm } from '../observability/instrumented-llm.js'
import { createMetrics } from '../observability/metrics.js'
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
  const { events, finishes } = instrumentEvents(storage, metrics)
  const failpoint = settings.failpoint ? killAt(settings.failpoint) : undefined
  const openStreams = new Set<OpenStream>()
  // Model tokens spent per client per day, in the store (shared by every instance in redis
  // mode). Kept only while a daily budget is set: with none, nothing reads it, and writing it
  // would cost every new job and every model call a write for nobody.
  const spend = settings.budget.dailyTokensPerClient > 0 ? storage.spend : undefined
  const finish = createJobFinisher({ finishes, failpoint, prices: settings.llm.prices })
  // Whether the store takes writes: readiness, `POST /api/jobs`, and running jobs' patience.
  const health = createStoreHealth({
    isTransient: storage.isTransient,
    outageTimeoutMs: settings.storeOutageTimeoutMs,
    logger,
  })
  // Jobs that outlived their patience are queued again here once the store is back; the
  // queue is made below, and the recovery only starts once it exists.
  let recovery: ReturnType<typeof createStoreRecovery> | undefined
  const execute = createJobExecutor({
    jobs: storage.jobs,
    events,
    finish,
    llm,
    logger,
    failpoint,
    spend,
    store: {
      health,
      outageTimeoutMs: settings.storeOutageTimeoutMs,
      leave: (jobId) => recovery?.leave(jobId),
    },
    reviewTimeoutMs: settings.reviewTimeoutMs,
    tokens: {
      jobLimit: settings.budget.jobTokenLimit,
      maxOutputTokens: settings.llm.maxOutputTokens,
      dailyPerClient: settings.budget.dailyTokensPerClient,
    },
    retry: {
      maxAttempts: settings.llm.maxAttempts,
      maxOutputAttempts: settings.llm.maxOutputAttempts,
    },
  })
  const queue = createQueue(storage, settings, logger, execute, async (jobId, error) => {
    // BullMQ gave up on the job (its tries spent, or it stalled too often): record the end so
    // its streams end. A job that ended meanwhile stays as it ended (`already-ended`).
    const job = await storage.jobs.get(jobId)
    if (!job) return
    await finish(jobId, { status: 'failed', error }, { progress: job.progress })
  })
  const service = createJobService({
    jobs: storage.jobs,
    finishes,
    queue,
    finish,
    maxQueuedJobs: settings.limits.maxQueuedJobs,
    spend,
    store: { isTransient: storage.isTransient, leave: (jobId) => recovery?.leave(jobId) },
  })
  recovery = createStoreRecovery({
    health,
    probe: () => storage.jobs.ping(),
    queue,
    logger,
  })
  recovery.start()
  const review = createOutlineReview({ jobs: storage.jobs, events, queue })
  const redis = storage.redis
  const app = createApp({
    jobs: storage.jobs,
    events,
    service,
    review,
    logger,
    metrics,
    storeHealth: health,
    apiToken: settings.apiToken,
    operatorToken: settings.operatorToken,
    trustProxy: settings.trustProxy,
    budget: spend && { perDay: settings.budget.dailyTokensPerClient, ledger: spend },
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
    jobTtlMs: settings.jobTtlMs,
    openStreams,
    config: {
      provider: llm.provider,
      model: llm.model,
      limits: {
        topicMaxLength: TOPIC_MAX_LENGTH,
        maxConcurrentJobs: settings.maxConcurrentJobs,
        heartbeatMs: settings.heartbeatMs,
      },
      prices: settings.llm.prices,
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
  // Jobs left waiting for their outline review past REVIEW_TIMEOUT end cancelled.
  const expiry = createReviewExpirySweep({
    jobs: storage.jobs,
    finish,
    reviewTimeoutMs: settings.reviewTimeoutMs,
    onExpired: (expired) => logger.info({ expired }, 'outline reviews expired'),
    onError: (err) => logger.error({ err }, 'review expiry sweep failed'),
  })
  expiry.start()

  return {
    app,
    async recover() {
      const unfinished = await storage.jobs.listUnfinished()
      for (const job of unfinished) {
        // Queued after it ran (approved after its outline review): its earlier run is over.
        if (job.status === 'queued' && job.attempt > 0) await queue.requeue(job.id)
        else await queue.enqueue(job.id)
      }
      return unfinished.length
    },
    async stop() {
      await recovery?.stop()
      await retention.stop()
      await expiry.stop()
      await queue.stop()
      for (const stream of [...openStreams]) stream.close()
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
  onFinalFailure: (jobId: string, error: JobError) => Promise<void>,
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
    connections: redis.connections,
    isConnectionFault: storage.isTransient,
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

/**
 * Test-only (`INKFLOW_FAILPOINT`, `lib/failpoint.ts`): kills this process, as `kill -9` would,
 * the first time the code reaches the named point. The line on stderr tells the test it was
 * this point and not something else that ended the process.
 */
function killAt(point: string): Failpoint {
  return (name) => {
    if (name !== point) return
    writeSync(2, `inkflow: failpoint ${name} reached; killing the process\n`)
    process.kill(process.pid, 'SIGKILL')
  }
}
