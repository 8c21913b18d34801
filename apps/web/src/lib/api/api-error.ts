import { type Problem, ProblemSchema } from '@inkflow/shared'

/** A failed API call; `message` is the problem's `detail` (or title), fit to show a person. */
export class ApiError extends Error {
  override name = 'ApiError'
  constructor(
    /** HTTP status; 0 when no answer came (offline, CORS, refused). */
    readonly status: number,
    message: string,
    readonly problem?: Problem,
  ) {
    super(message)
  }

  /** Reads an error answer's problem+json body; falls back to the status line. */
  static async fromResponse(response: Response): Promise<ApiError> {
    let problem: Problem | undefined
    try {
      const parsed = ProblemSchema.safeParse(await response.json())
      if (parsed.success) problem = parsed.data
    } catch {
      // Not JSON (a proxy's error page, say): the status is all we have.
    }
    const message =
      problem?.detail ??
      problem?.title ??
      `the server answered ${response.status} ${response.statusText}`
    return new ApiError(response.status, message, problem)
  }
}
