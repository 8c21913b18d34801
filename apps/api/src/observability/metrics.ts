import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

/**
 * Prometheus metrics of one process. Each process has its own registry, so tests can run
 * several apps side by side without their counts mixing.
 */
export function createMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'inkflow_process_' })
  const registers = [registry]

  return {
    registry,
    jobsCreated: new Counter({
      name: 'inkflow_jobs_created_total',
      help: 'Jobs accepted by POST /api/jobs',
      registers,
    }),
    jobsFinished: new Counter({
      name: 'inkflow_jobs_finished_total',
      help: 'Jobs that reached a terminal status, by status',
      labelNames: ['status'] as const,
      registers,
    }),
    jobDuration: new Histogram({
      name: 'inkflow_job_duration_seconds',
      help: 'Time from creation to the terminal event, by status',
      labelNames: ['status'] as const,
      buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers,
    }),
    eventsAppended: new Counter({
      name: 'inkflow_events_appended_total',
      help: 'Events appended to job logs, by type',
      labelNames: ['type'] as const,
      registers,
    }),
    openStreams: new Gauge({
      name: 'inkflow_open_streams',
      help: 'Event streams open now',
      registers,
    }),
    droppedSlowReaders: new Counter({
      name: 'inkflow_dropped_slow_readers_total',
      help: 'Streams closed because the client stopped reading',
      registers,
    }),
    streamReadErrors: new Counter({
      name: 'inkflow_stream_read_errors_total',
      help: 'Streams ended because the event log could not be read (the client reconnects)',
      registers,
    }),
    llmLatency: new Histogram({
      name: 'inkflow_llm_request_duration_seconds',
      help: 'Model calls, from request to the last token, by outcome',
      labelNames: ['task', 'outcome'] as const,
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    }),
    llmErrors: new Counter({
      name: 'inkflow_llm_errors_total',
      help: 'Failed model calls, by error code',
      labelNames: ['code'] as const,
      registers,
    }),
    llmTokens: new Counter({
      name: 'inkflow_llm_tokens_total',
      help: 'Tokens paid for, by kind (prompt or completion)',
      labelNames: ['kind'] as const,
      registers,
    }),
    rejected: new Counter({
      name: 'inkflow_requests_rejected_total',
      help: 'Requests refused by a limit, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
  }
}

export type Metrics = ReturnType<typeof createMetrics>
