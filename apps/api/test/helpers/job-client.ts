import { type Job, JobCreatedSchema, JobSchema, type ProgressEvent } from '@inkflow/shared'
import { readStream } from './sse-reader.js'

/**
 * What a test asks of a running API over HTTP, whichever way it runs (in-process, a spawned
 * process, a container): no import of the app, so process tests load none of it.
 */

/** POSTs a job with any body (options included) and returns its id and owner token. */
export async function postJob(
  baseUrl: string,
  body: object,
  headers: Record<string, string> = {},
): Promise<{ id: string; ownerToken: string }> {
  const res = await fetch(`${baseUrl}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  if (res.status !== 202)
    throw new Error(`POST /api/jobs answered ${res.status}: ${await res.text()}`)
  return JobCreatedSchema.parse(await res.json())
}

/** POSTs a job about `topic` and returns its id and owner token. */
export const startJob = (baseUrl: string, topic = 'tea', headers: Record<string, string> = {}) =>
  postJob(baseUrl, { topic }, headers)

/** POSTs a job about `topic` and returns its id. */
export const createJob = async (baseUrl: string, topic = 'tea', headers = {}) =>
  (await startJob(baseUrl, topic, headers)).id

/** GETs a job and parses it with the shared schema. */
export async function getJob(baseUrl: string, id: string): Promise<Job> {
  return JobSchema.parse(await (await fetch(`${baseUrl}/api/jobs/${id}`)).json())
}

/** Cancels a job with a bearer token (its owner token, or the API token); returns the answer. */
export function cancelJob(baseUrl: string, id: string, token: string): Promise<Response> {
  return fetch(`${baseUrl}/api/jobs/${id}/cancel`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  })
}

/** PUTs an outline approval with a bearer token (none when undefined); returns the answer. */
export function putOutline(
  baseUrl: string,
  id: string,
  token: string | undefined,
  body: unknown,
): Promise<Response> {
  return fetch(`${baseUrl}/api/jobs/${id}/outline`, {
    method: 'PUT',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  })
}

/** Polls `check` every 10 ms until it returns a value; fails after `ms`. */
export async function waitUntil<T>(
  check: () => T | undefined | Promise<T | undefined>,
  ms = 10_000,
): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** GETs a job (parsed with the shared schema) once `check` holds; fails after `ms`. */
export function jobWhen(
  baseUrl: string,
  id: string,
  check: (job: Job) => boolean,
  ms = 15_000,
): Promise<Job> {
  return waitUntil(async () => {
    const job = await getJob(baseUrl, id)
    return check(job) ? job : undefined
  }, ms)
}

/** Every event of a job's stream, read to its end over a real connection (bounded). */
export async function eventsOf(baseUrl: string, id: string, ms = 15_000): Promise<ProgressEvent[]> {
  return (await readStream(`${baseUrl}/api/jobs/${id}/events`, { timeoutMs: ms })).events
}

/** The words of a text, for comparing article lengths. */
export const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length

/** The events a job's log holds now, read from the storage (for jobs that have not ended). */
export async function loggedEvents(
  log: { read(jobId: string, afterSeq: number, limit: number): Promise<ProgressEvent[]> },
  id: string,
): Promise<ProgressEvent[]> {
  return log.read(id, 0, 10_000)
}

/**
 * POSTs a revision of job `id` with a bearer token (none when undefined) and any body;
 * returns the answer.
 */
export function postRevision(
  baseUrl: string,
  id: string,
  token: string | undefined,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${baseUrl}/api/jobs/${id}/revisions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

/** Creates a job and waits for it to complete; its id, owner token and finished view. */
export async function completedJob(
  baseUrl: string,
  body: object = { topic: 'tea' },
): Promise<{ id: string; ownerToken: string; job: Job }> {
  const { id, ownerToken } = await postJob(baseUrl, body)
  const job = await jobWhen(baseUrl, id, (j) => j.status === 'completed')
  return { id, ownerToken, job }
}
