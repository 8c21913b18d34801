import { STATUS_CODES } from 'node:http'
import { PROBLEM_CONTENT_TYPE, type Problem } from '@inkflow/shared'
import type { ErrorRequestHandler, RequestHandler, Response } from 'express'
import type { Logger } from 'pino'
import { z } from 'zod/mini'

// zod/mini ships no messages of its own: the 422's `errors[]` say in English what is wrong.
z.config(z.locales.en())

/** An error answer: its fields become the problem+json body as they are. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly extra: { errors?: Problem['errors']; headers?: Record<string, string> } = {},
  ) {
    super(detail ?? title)
  }

  /** A problem (422 unless told) listing every field zod rejected. */
  static fromZod(error: z.core.$ZodError, title = 'Invalid request', status = 422): HttpProblem {
    const errors = error.issues.map((i) => ({
      path: i.path.join('.') || '(root)',
      message: i.message,
    }))
    return new HttpProblem(status, title, errors.map((e) => `${e.path}: ${e.message}`).join('; '), {
      errors,
    })
  }
}

const TYPE_BASE = 'https://inkflow.dev/problems/'
const slug = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')

export function sendProblem(res: Response, problem: HttpProblem): void {
  const body: Problem = {
    type: `${TYPE_BASE}${slug(problem.title)}`,
    title: problem.title,
    status: problem.status,
    ...(problem.detail ? { detail: problem.detail } : {}),
    ...(problem.extra.errors ? { errors: problem.extra.errors } : {}),
  }
  for (const [name, value] of Object.entries(problem.extra.headers ?? {}))
    res.setHeader(name, value)
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body))
}

/**
 * Errors that Express and its parsers raise for bad input carry a 4xx `status` (e.g. a
 * malformed %-escape in a path); they are the client's fault. Only the status is kept.
 */
function fromClientError(err: unknown): HttpProblem | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  const { status } = err as { status?: unknown }
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined
  return new HttpProblem(
    status,
    STATUS_CODES[status] ?? 'Bad request',
    'the request could not be understood',
  )
}

/** body-parser marks its own errors with a `type` and an `expose`d status. */
function fromBodyParser(err: unknown): HttpProblem | undefined {
  if (typeof err !== 'object' || err === null || !('type' in err)) return undefined
  switch ((err as { type: unknown }).type) {
    case 'entity.parse.failed':
      return new HttpProblem(400, 'Malformed JSON', 'the request body is not valid JSON')
    case 'entity.too.large':
      return new HttpProblem(413, 'Payload too large', 'the request body is larger than 16 KiB')
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpProblem(415, 'Unsupported media type', 'send the body as UTF-8 JSON')
    case 'request.aborted':
      return new HttpProblem(400, 'Request aborted', 'the client stopped sending the body')
    default:
      return undefined
  }
}

/** Seconds a client is asked to wait while the store takes no writes. */
const STORE_RETRY_AFTER_S = 5

/** `503` with `Retry-After`: the store cannot take the write this request needs right now. */
export const storeUnavailableProblem = () =>
  new HttpProblem(503, 'Store unavailable', 'the store cannot take writes right now; try again', {
    headers: { 'Retry-After': String(STORE_RETRY_AFTER_S) },
  })

/**
 * Turns every error into problem+json; unknown ones become a bare 500, logged, with no
 * internals. A storage fault that may pass (`store.isTransient`: a full disk, Redis away) is
 * the `503` of `storeUnavailableProblem`, and `store.fault` hears it.
 */
export function errorHandler(
  logger: Logger,
  store?: { isTransient(err: unknown): boolean; fault(err: unknown): void },
): ErrorRequestHandler {
  const fromStore = (err: unknown) => {
    if (!store?.isTransient(err)) return undefined
    store.fault(err)
    return storeUnavailableProblem()
  }
  return (err, req, res, _next) => {
    const problem =
      err instanceof HttpProblem
        ? err
        : (fromBodyParser(err) ?? fromClientError(err) ?? fromStore(err))
    if (res.headersSent) {
      // A stream already started; all that is left is to close it.
      logger.warn({ err, url: req.originalUrl }, 'error after the response started')
      res.end()
      return
    }
    if (problem) return sendProblem(res, problem)
    logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error')
    sendProblem(
      res,
      new HttpProblem(500, 'Internal server error', 'something went wrong on our side'),
    )
  }
}

export const notFound: RequestHandler = (req, res) =>
  sendProblem(res, new HttpProblem(404, 'Not found', `no route for ${req.method} ${req.path}`))
