import { JobCreatedSchema, ProblemSchema } from '@inkflow/shared'
import { expect } from 'vitest'

/** The 202 of a new job (a revision too): parsed, with its Location and links checked. */
export async function accepted(res: Response) {
  expect(res.status).toBe(202)
  const body = JobCreatedSchema.parse(await res.json())
  expect(res.headers.get('location')).toBe(`/api/jobs/${body.id}`)
  expect(body.links).toEqual({
    self: `/api/jobs/${body.id}`,
    events: `/api/jobs/${body.id}/events`,
  })
  return body
}

/** A problem+json answer of `status`, parsed. */
export async function problem(res: Response, status: number) {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  return ProblemSchema.parse(await res.json())
}
