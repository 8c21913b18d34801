import {
  CreateJobBodySchema,
  CreateRevisionBodySchema,
  JobAcceptedSchema,
  JobCreatedSchema,
  JobListSchema,
  JobSchema,
  OutlineApprovalSchema,
  ProblemSchema,
  ProgressEventSchema,
  ServerConfigSchema,
} from '@inkflow/shared'
import { z } from 'zod/mini'

const schema = (s: z.core.$ZodType, io: 'input' | 'output' = 'output') =>
  z.toJSONSchema(s, { target: 'draft-2020-12', io, unrepresentable: 'any' })

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const json = (name: string) => ({ 'application/json': { schema: ref(name) } })
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
})
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } }
/** Creating: the API token when the server sets one, else nothing. */
const optionalBearer = [{ apiToken: [] }, {}]

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
        apiToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The API_TOKEN: needed to create jobs when the server sets it (a private deployment); it does nothing else',
        },
        operatorToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The OPERATOR_TOKEN: lists every job, controls any job, reads /metrics. Never the SPA’s',
        },
        ownerToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The `ownerToken` POST /api/jobs (or POST …/revisions) returned for the job: it controls that job alone (cancel, approve its outline, revise its article)',
        },
      },
      schemas: {
        CreateJobBody: schema(CreateJobBodySchema, 'input'),
        CreateRevisionBody: schema(CreateRevisionBodySchema, 'input'),
        JobAccepted: schema(JobAcceptedSchema),
        JobCreated: schema(JobCreatedSchema),
        Job: schema(JobSchema),
        JobList: schema(JobListSchema),
        OutlineApproval: schema(OutlineApprovalSchema, 'input'),
        ProgressEvent: schema(ProgressEventSchema),
        ServerConfig: schema(ServerConfigSchema),
        Problem: schema(ProblemSchema),
      },
    },
    paths: {
      '/api/jobs': {
        post: {
          summary: 'Start a job; the answer carries its owner token',
          security: optionalBearer,
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
            401: problem('Missing or wrong API token (only when the server sets API_TOKEN)'),
            413: problem('Body over 16 KiB'),
            415: problem('Body is not JSON'),
            422: problem(
              'Invalid topic (a control character included), or an idempotency key this client reused with another body',
            ),
            429: problem(
              'Too many jobs (or wrong tokens) from this client this minute, or its daily token budget is spent (the detail says when it resets)',
            ),
            503: problem('The queue is full'),
          },
        },
        get: {
          summary: 'Every job, newest first (operators only)',
          security: [{ operatorToken: [] }],
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
            401: problem('No bearer token'),
            403: problem(
              'Not the operator token, or the server has no OPERATOR_TOKEN: nobody may list every job',
            ),
            429: problem('Too many wrong tokens from this client this minute'),
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
            503: problem('This server is at its stream limit (MAX_STREAMS)'),
          },
        },
      },
      '/api/jobs/{id}/cancel': {
        post: {
          summary: 'Cancel a job (its owner, or an operator)',
          security: [{ ownerToken: [] }, { operatorToken: [] }],
          parameters: [idParam],
          responses: {
            202: { description: 'Stopping (or already cancelled)', content: json('JobAccepted') },
            401: problem('No bearer token'),
            403: problem('The token is neither the job’s owner token nor the operator token'),
            404: problem('Unknown job'),
            409: problem('Already completed or failed'),
            429: problem('Too many wrong tokens from this client this minute'),
          },
        },
      },
      '/api/jobs/{id}/outline': {
        put: {
          summary:
            'Approve (perhaps edited) the outline of a job waiting for its review (its owner, or an operator)',
          security: [{ ownerToken: [] }, { operatorToken: [] }],
          parameters: [idParam],
          requestBody: { required: true, content: json('OutlineApproval') },
          responses: {
            202: { description: 'Approved: the job is queued to write it', content: json('Job') },
            400: problem('A body that cannot be read'),
            401: problem('No bearer token'),
            403: problem('The token is neither the job’s owner token nor the operator token'),
            404: problem('Unknown job'),
            409: problem('The job is not waiting for its outline review'),
            415: problem('Not application/json'),
            422: problem('Invalid outline (a control character included)'),
            429: problem(
              'Too many wrong tokens from this client, or the job owner’s daily token budget is spent (the job keeps waiting)',
            ),
          },
        },
      },
      '/api/jobs/{id}/revisions': {
        post: {
          summary:
            'Ask for the next version of a completed job’s article, one section (a 0-based index into `article.sections`) rewritten as the instruction says (its owner, or an operator)',
          security: [{ ownerToken: [] }, { operatorToken: [] }],
          parameters: [
            idParam,
            { name: 'Idempotency-Key', in: 'header', schema: { type: 'string', maxLength: 255 } },
          ],
          requestBody: { required: true, content: json('CreateRevisionBody') },
          responses: {
            202: {
              description:
                'Accepted: a new job (the revision), with its own `ownerToken`; the job revised never changes',
              headers: { Location: { schema: { type: 'string' } } },
              content: json('JobCreated'),
            },
            400: problem('Malformed JSON or header'),
            401: problem('No bearer token'),
            403: problem('The token is neither the job’s owner token nor the operator token'),
            404: problem('Unknown job'),
            409: problem('The job is not completed'),
            413: problem('Body over 16 KiB'),
            415: problem('Body is not JSON'),
            422: problem(
              'Invalid body, a section the article does not have, or an idempotency key this client reused with another body',
            ),
            429: problem(
              'Too many jobs (or wrong tokens) from this client this minute, or its daily token budget is spent',
            ),
            503: problem('The queue is full, or the store cannot take writes'),
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
          summary: 'Prometheus metrics (the operator token when the server sets OPERATOR_TOKEN)',
          security: [{ operatorToken: [] }, {}],
          responses: {
            200: { description: 'Prometheus text format' },
            401: problem('No bearer token (OPERATOR_TOKEN set)'),
            403: problem('Not the operator token'),
          },
        },
      },
    },
  }
}
