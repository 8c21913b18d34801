import {
  type Job,
  JobAcceptedSchema,
  type JobCreated,
  JobCreatedSchema,
  type JobOptions,
  JobSchema,
  type OutlineApproval,
  type ServerConfig,
  ServerConfigSchema,
} from '@inkflow/shared'
import type { z } from 'zod/mini'
import { type AccessToken, accessToken } from './access-token.js'
import { ApiError } from './api-error.js'
import { type JobHistory, jobHistory } from './job-history.js'

/** The calls the SPA makes, each answer parsed with the shared schema. */
export interface ApiClient {
  config(): Promise<ServerConfig>
  /**
   * Starts a job and records it, with its owner token, in this browser's history. Options
   * left out take the server's defaults.
   */
  createJob(topic: string, options?: Partial<JobOptions>): Promise<JobCreated>
  getJob(id: string): Promise<Job>
  /**
   * Cancels a job with the owner token this browser keeps for it (or else the access token,
   * an operator's). Resolves once the job is stopping; a job that already finished (409)
   * counts as done.
   */
  cancelJob(id: string): Promise<void>
  /**
   * Approves the outline of a job waiting for its review (edited or as proposed), with the
   * owner token this browser keeps for it (or else the access token). Rejects with an
   * `ApiError`: 409 when the job no longer waits for it, 422 for an outline the server refuses.
   */
  approveOutline(id: string, outline: OutlineApproval): Promise<Job>
  /**
   * Asks for the next version of a completed job's article, with `section` rewritten as
   * `instruction` says, with the owner token this browser keeps for the job; records the new
   * job (a revision of `job`) in the history. Rejects with an `ApiError`: 409 when the job is
   * not completed, 422 for a section or an instruction the server refuses.
   */
  reviseSection(
    job: { id: string; topic: string },
    section: number,
    instruction: string,
  ): Promise<JobCreated>
  eventsUrl(id: string): string
  /** The access token sent where the server may ask for one (`API_TOKEN`). */
  readonly token: AccessToken
  /** The jobs this browser started, with their owner tokens. */
  readonly history: JobHistory
}

/**
 * A client of the API at `baseUrl` (`''` for the page's own origin).
 * `fetchImpl` defaults to the global `fetch`. Creating a job carries the access token (the
 * server's `API_TOKEN`) when there is one, and nothing else does; cancelling one or approving
 * its outline carries its owner token, and nothing for a job this browser did not start;
 * reading a job and its events need only its id. (Listing every job and controlling others'
 * jobs are for operators, whose token this page never asks for nor sends.)
 */
export function createApiClient(
  baseUrl: string,
  fetchImpl: typeof fetch = fetch,
  token: AccessToken = accessToken(undefined),
  history: JobHistory = jobHistory(undefined),
): ApiClient {
  const root = baseUrl.replace(/\/+$/, '')
  const bearer = (value: string | undefined, headers: Record<string, string> = {}) =>
    value ? { ...headers, authorization: `Bearer ${value}` } : headers
  const authorized = (headers: Record<string, string> = {}) => bearer(token.get(), headers)
  const url = (path: string) => `${root}${path}`
  const jobPath = (id: string) => `/api/jobs/${encodeURIComponent(id)}`

  async function call<S extends z.ZodMiniType>(schema: S, path: string, init?: RequestInit) {
    let response: Response
    try {
      response = await fetchImpl(url(path), {
        ...init,
        headers: { accept: 'application/json', ...init?.headers },
      })
    } catch {
      throw new ApiError(0, 'cannot reach the server: check your connection and try again')
    }
    if (!response.ok) throw await ApiError.fromResponse(response)
    const parsed = schema.safeParse(await response.json().catch(() => undefined))
    if (!parsed.success) throw new ApiError(response.status, 'the server sent an unexpected answer')
    return parsed.data as z.output<S>
  }

  return {
    config: () => call(ServerConfigSchema, '/api/config'),
    async createJob(topic, options = {}) {
      let job: z.output<typeof JobCreatedSchema>
      try {
        job = await call(JobCreatedSchema, '/api/jobs', {
          method: 'POST',
          headers: authorized({ 'content-type': 'application/json' }),
          body: JSON.stringify({ topic, ...options }),
        })
      } catch (error) {
        // A token the server refused (a typo, or a token that is not the API token) is not
        // kept in this browser.
        if (error instanceof ApiError && error.status === 401) token.refuse()
        throw error
      }
      const createdAt = new Date().toISOString()
      history.add({ id: job.id, ownerToken: job.ownerToken, topic, createdAt })
      return job
    },
    getJob: (id) => call(JobSchema, jobPath(id)),
    async cancelJob(id) {
      try {
        await call(JobAcceptedSchema, `${jobPath(id)}/cancel`, {
          method: 'POST',
          headers: bearer(history.ownerToken(id)),
        })
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 409)) throw error
      }
    },
    approveOutline: (id, outline) =>
      call(JobSchema, `${jobPath(id)}/outline`, {
        method: 'PUT',
        headers: bearer(history.ownerToken(id), {
          'content-type': 'application/json',
        }),
        body: JSON.stringify(outline),
      }),
    async reviseSection(original, section, instruction) {
      const job = await call(JobCreatedSchema, `${jobPath(original.id)}/revisions`, {
        method: 'POST',
        headers: bearer(history.ownerToken(original.id), { 'content-type': 'application/json' }),
        body: JSON.stringify({ section, instruction }),
      })
      const createdAt = new Date().toISOString()
      const topic = original.topic
      history.add({
        id: job.id,
        ownerToken: job.ownerToken,
        topic,
        createdAt,
        revisionOf: original.id,
      })
      return job
    },
    eventsUrl: (id) => url(`${jobPath(id)}/events`),
    token,
    history,
  }
}
