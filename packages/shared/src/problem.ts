import { z } from 'zod/mini'

/** RFC 9457 problem details, the body of every error answer (`application/problem+json`). */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().check(z.int()),
  detail: z.optional(z.string()),
  errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
})
export type Problem = z.infer<typeof ProblemSchema>

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'
