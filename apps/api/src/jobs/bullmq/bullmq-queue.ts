import type { JobError } from '@inkflow/shared'
import { Queue } from 'bullmq'
import type { Redis, RedisOptions } from 'ioredis'
import type { Logger } from 'pino'
import { sleep } from '../../lib/sleep.js'
import type { CancelOutcome, JobExecutor, JobQueue } from '../job-queue.js'
import { createCancelChannel } from './bullmq-cancel.js'
import { createBullmqKeys } from './bullmq-keys.js'
import { startBullmqWorker } from './bullmq-worker.js'

/** The one BullMQ queue of a deployment, under its key prefix (`bullmq-keys.ts`). */
export const QUEUE_NAME = 'articles'
/** How long `requeue` waits for the run that parked a job to be marked completed. */
const REQUEUE_WAIT_MS = 10_000
const REQUEUE_POLL_MS = 20
/** A connection that says when it is ready (again). */
type ReadyEmitter = { on(event: 'ready', listener: () => void): unknown }
/** States in which a job has not started yet and can simply be removed. */
const NOT_STARTED = new Set(['waiting', 'delayed', 'prioritized', 'paused', 'waiting-children'])

export interface BullmqQueueOptions {
  /** Where BullMQ connects (it opens its own connections with these options). */
  connection: RedisOptions
  /** The shared command connection: cancel markers and pub/sub publishes. */
  commands: Redis
  /** The deployment's key prefix (`REDIS_KEY_PREFIX`). */
  keyPrefix: string
  /** Names this process's connections, e.g. `worker-4242`. */
  instanceName: string
  logger: Logger
  /**
   * Logs each connection's losses and returns once per change. BullMQ reports its connections'
   * errors through its queue and worker objects, on every reconnect attempt.
   */
  connections?: {
    lost(name: string, err: unknown): void
    back(name: string): void
    watch(client: Redis, name: string): void
  }
  /** Whether an error is Redis being away (a connection fault), not a fault of BullMQ's own. */
  isConnectionFault?: (err: unknown) => boolean
  /** Given when this process runs jobs (`ROLE=worker|all`); without it the queue only adds. */
  worker?: {
    execute: JobExecutor
    concurrency: number
    /** Lock duration and stalled-check period, in ms. */
    stallIntervalMs: number
    /** Times a job may stall and resume before it fails (`worker_lost`). Default 5. */
    maxStalledCount?: number
    onFinalFailure: (jobId: string, error: JobError) => Promise<void>
  }
  /** Tries per job for failures the executor did not handle (Redis down, say). Default 3. */
  attempts?: number
}

/**
 * `JobQueue` on BullMQ: jobs survive any process, a worker that dies has its job moved
 * back to waiting by another worker's stalled check, and retries back off exponentially.
 * The BullMQ job id is the inkflow job id, so enqueueing twice is harmless; a job queued
 * again after its outline review replaces its completed first run (`requeue`).
 */
export function createBullmqQueue(options: BullmqQueueOptions): JobQueue {
  const { logger, instanceName } = options
  const keys = createBullmqKeys(options.keyPrefix)
  const cancels = createCancelChannel(options.commands, keys)
  const queue = new Queue(QUEUE_NAME, {
    connection: { ...options.connection, connectionName: `${keys.prefix}:${instanceName}:queue` },
    prefix: keys.bullmq,
    defaultJobOptions: {
      attempts: options.attempts ?? 3,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 86_400, count: 10_000 },
      removeOnFail: { age: 7 * 86_400 },
    },
  })
  const { connections, isConnectionFault } = options
  // Connection faults are logged once per outage, by connection; BullMQ's own errors each time.
  const onError = (name: string, what: string) => (err: Error) => {
    if (connections && isConnectionFault?.(err)) connections.lost(name, err)
    else logger.warn({ err }, what)
  }
  const watchBack = (client: Promise<ReadyEmitter>, name: string) =>
    client.then(
      (c) => c.on('ready', () => connections?.back(name)),
      () => {},
    )
  queue.on('error', onError('bullmq-queue', 'bullmq queue error'))
  void watchBack(queue.client, 'bullmq-queue')

  const worker =
    options.worker &&
    startBullmqWorker({
      ...options.worker,
      queueName: QUEUE_NAME,
      connection: {
        ...options.connection,
        connectionName: `${keys.prefix}:${instanceName}:worker`,
      },
      prefix: keys.bullmq,
      name: `${keys.prefix}:${instanceName}`,
      cancels,
      logger,
    })
  function cancelSubscriber(): Redis {
    const subscriber = options.commands.duplicate({
      connectionName: `${keys.prefix}:${instanceName}:cancel-subscriber`,
      maxRetriesPerRequest: null,
    })
    // A duplicate has none of the original's listeners: without one, every reconnect attempt
    // while Redis is away would print ioredis's `Unhandled error event`.
    if (connections) connections.watch(subscriber, 'cancel-subscriber')
    else subscriber.on('error', (err) => logger.warn({ err }, 'cancel subscriber error'))
    return subscriber
  }
  if (worker) {
    worker.onError(onError('bullmq-worker', 'bullmq worker error'))
    void watchBack(worker.client, 'bullmq-worker')
  }
  const stopListening = worker
    ? cancels.listen(cancelSubscriber(), (jobId) => {
        if (worker.cancel(jobId)) logger.info({ jobId }, 'cancel received; aborting the job')
      })
    : undefined
  stopListening?.catch((err) => logger.error({ err }, 'cannot listen for cancels'))

  return {
    async enqueue(jobId) {
      await queue.add('article', { jobId }, { jobId })
    },

    async requeue(jobId) {
      // The run that parked the job may not be marked completed yet: wait for it (bounded;
      // a run whose worker died goes back to waiting through the stalled check, and then
      // runs the approved job itself).
      const until = Date.now() + REQUEUE_WAIT_MS
      let previous = await queue.getJob(jobId)
      let state = await previous?.getState()
      while (state === 'active' && Date.now() < until) {
        await sleep(REQUEUE_POLL_MS)
        previous = await queue.getJob(jobId)
        state = await previous?.getState()
      }
      // `add` ignores an id BullMQ still holds: the run that is over goes first.
      if (previous && (state === 'completed' || state === 'failed')) await previous.remove()
      await queue.add('article', { jobId }, { jobId })
    },

    async depth() {
      return queue.count()
    },

    async cancel(jobId): Promise<CancelOutcome> {
      const job = await queue.getJob(jobId)
      if (!job) return 'unknown'
      const state = await job.getState()
      if (NOT_STARTED.has(state)) {
        try {
          await job.remove()
          return 'queued'
        } catch {
          // A worker took it between the two calls (it is locked): cancel it as running.
        }
      } else if (state === 'unknown') {
        return 'unknown'
      }
      // Active, or finished moments ago: the worker writes the end (the marker covers a
      // worker that dies first and a job that is resumed), so the caller must not.
      await cancels.request(jobId)
      return 'running'
    },

    async stop() {
      await worker?.stop()
      await (await stopListening)?.()
      await queue.close()
    },
  }
}
