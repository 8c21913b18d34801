import { z } from 'zod/mini'

/* The browser's twin of `../problem.ts` (see `./job.ts` for why). */

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().check(z.int()),
  detail: z.optional(z.string()),
  errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
})
