import {
  type Job,
  type JobAccepted,
  JobAcceptedSchema,
  type JobList,
  JobListSchema,
  JobSchema,
  type ServerConfig,
  ServerConfigSchema,
} from '@inkflow/shared/mini'
import type { z } from 'zod/mini'
import { type AccessToken, accessToken } from './access-token.js'
import { ApiError } from './api-error.js'

/** The calls the SPA makes, each answer parsed with the shared schema. */
export interface ApiClient {
  config(): Promise<ServerConfig>
  createJob(topic: string): Promise<JobAccepted>
  getJob(id: string): Promise<Job>
  listJobs(limit?: number): Promise<JobList>
  /** Resolves once the job is stopping; a job that already finished (409) counts as done. */
  cancelJob(id: string): Promise<void>
  eventsUrl(id: string): string
  /** The access token sent where the server may ask for one (`API_TOKEN`). */
  readonly token: AccessToken
}

/**
 * A client of the API at `baseUrl` (`''` for the page's own origin).
 * `fetchImpl` defaults to the global `fetch`. Creating, listing and cancelling jobs carry the
 * access token when there is one; reading a job and its events need only its id.
 */
export function createApiClient(
  baseUrl: string,
  fetchImpl: typeof fetch = fetch,
  token: AccessToken = accessToken(undefined),
): ApiClient {
  const root = baseUrl.replace(/\/+$/, '')
  const authorized = (headers: Record<string, string> = {}): Record<string, string> => {
    const value = token.get()
    return value ? { ...headers, authorization: `Bearer ${value}` } : headers
  }
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
    createJob: (topic) =>
      call(JobAcceptedSchema, '/api/jobs', {
        method: 'POST',
        headers: authorized({ 'content-type': 'application/json' }),
        body: JSON.stringify({ topic }),
      }),
    getJob: (id) => call(JobSchema, jobPath(id)),
    listJobs: (limit = 10) =>
      call(JobListSchema, `/api/jobs?limit=${limit}`, { headers: authorized() }),
    async cancelJob(id) {
      try {
        await call(JobAcceptedSchema, `${jobPath(id)}/cancel`, {
          method: 'POST',
          headers: authorized(),
        })
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 409)) throw error
      }
    },
    eventsUrl: (id) => url(`${jobPath(id)}/events`),
    token,
  }
}
