import {
  CreateJobBodySchema,
  JobAcceptedSchema,
  JobCreatedSchema,
  JobListSchema,
  JobSchema,
  ProblemSchema,
  ProgressEventSchema,
  ServerConfigSchema,
} from '@inkflow/shared'
import { type ZodType, z } from 'zod'

const schema = (s: ZodType, io: 'input' | 'output' = 'output') =>
  z.toJSONSchema(s, { target: 'draft-2020-12', io, unrepresentable: 'any' })

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const json = (name: string) => ({ 'application/json': { schema: ref(name) } })
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
})
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } }
const bearer = [{ bearer: [] }, {}]

/**
 * The OpenAPI 3.1 description of the API, generated from the same zod schemas the server
 * validates with and the SPA parses with, so it cannot drift from them.
 */
export function buildOpenApiDocument(serverUrl = '/') {
  return {
    openapi: '3.1.0',
    info: {
      title: 'inkflow API',
      version: '1.0.0',
      description: 'Start article jobs and follow their events live over SSE.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'Only when the server sets API_TOKEN',
        },
      },
      schemas: {
        CreateJobBody: schema(CreateJobBodySchema, 'input'),
        JobAccepted: schema(JobAcceptedSchema),
        JobCreated: schema(JobCreatedSchema),
        Job: schema(JobSchema),
        JobList: schema(JobListSchema),
        ProgressEvent: schema(ProgressEventSchema),
        ServerConfig: schema(ServerConfigSchema),
        Problem: schema(ProblemSchema),
      },
    },
    paths: {
      '/api/jobs': {
        post: {
          summary: 'Start a job',
          security: bearer,
          parameters: [
            { name: 'Idempotency-Key', in: 'header', schema: { type: 'string', maxLength: 255 } },
          ],
          requestBody: { required: true, content: json('CreateJobBody') },
          responses: {
            202: {
              description:
                'Accepted. `ownerToken` is returned here only (and on a replay with the same Idempotency-Key): keep it to cancel the job',
              headers: { Location: { schema: { type: 'string' } } },
              content: json('JobCreated'),
            },
            400: problem('Malformed JSON or header'),
            401: problem('Missing or wrong bearer token'),
            413: problem('Body over 16 KiB'),
            415: problem('Body is not JSON'),
            422: problem('Invalid topic, or an idempotency key reused with another body'),
            429: problem(
              'Too many jobs from this client this minute, or its daily token budget is spent (the detail says when it resets)',
            ),
            503: problem('The queue is full'),
          },
        },
        get: {
          summary: 'Recent jobs, newest first',
          security: bearer,
          parameters: [
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            },
            { name: 'cursor', in: 'query', schema: { type: 'string' } },
          ],
          responses: {
            200: { description: 'A page of jobs', content: json('JobList') },
            400: problem('Bad limit or cursor'),
          },
        },
      },
      '/api/jobs/{id}': {
        get: {
          summary: 'A job, with its article once finished',
          parameters: [idParam],
          responses: {
            200: { description: 'The job', content: json('Job') },
            404: problem('Unknown job'),
          },
        },
      },
      '/api/jobs/{id}/events': {
        get: {
          summary:
            'The job’s event stream (Server-Sent Events): replay after Last-Event-ID, then live',
          parameters: [
            idParam,
            { name: 'Last-Event-ID', in: 'header', schema: { type: 'integer', minimum: 0 } },
            { name: 'lastEventId', in: 'query', schema: { type: 'integer', minimum: 0 } },
          ],
          responses: {
            200: {
              description: 'Frames `event: <type>`, `data: <ProgressEvent JSON>`, `id: <seq>`',
              content: { 'text/event-stream': { schema: ref('ProgressEvent') } },
            },
            400: problem('Bad Last-Event-ID'),
            404: problem('Unknown job'),
            429: problem('Too many open streams from this client'),
          },
        },
      },
      '/api/jobs/{id}/cancel': {
        post: {
          summary: 'Cancel a job',
          security: bearer,
          parameters: [idParam],
          responses: {
            202: { description: 'Stopping (or already cancelled)', content: json('JobAccepted') },
            404: problem('Unknown job'),
            409: problem('Already completed or failed'),
          },
        },
      },
      '/api/config': {
        get: {
          summary: 'What the SPA needs',
          responses: { 200: { description: 'Config', content: json('ServerConfig') } },
        },
      },
      '/healthz': { get: { summary: 'Liveness', responses: { 200: { description: 'Alive' } } } },
      '/readyz': {
        get: {
          summary: 'Readiness (store reachable)',
          responses: { 200: { description: 'Ready' }, 503: problem('Not ready') },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          responses: { 200: { description: 'Prometheus text format' } },
        },
      },
    },
  }
}
