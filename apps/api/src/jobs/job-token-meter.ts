import type { LlmClient, LlmRequest } from '../llm/llm.js'

/** `job.failed` code of a job stopped before a call that could take it past its token limit. */
export const JOB_TOKEN_LIMIT_CODE = 'job_token_limit'

/** A job stopped by its own token limit (`JOB_TOKEN_LIMIT`): trying again cannot help. */
export class JobTokenLimitError extends Error {
  override name = 'JobTokenLimitError'
  readonly code = JOB_TOKEN_LIMIT_CODE
  readonly retryable = false
  constructor(
    readonly limit: number,
    readonly used: number,
  ) {
    super(
      `the job has used ${used} of its ${limit} model tokens, and its next call could pass the limit`,
    )
  }
}

/** `job.failed` code of a job whose client spent its daily budget before the job was done. */
export const DAILY_TOKEN_BUDGET_CODE = 'daily_token_budget'

/** The job's client has spent its `DAILY_TOKENS_PER_CLIENT` for today: no call is made. */
export class DailyTokenBudgetError extends Error {
  override name = 'DailyTokenBudgetError'
  readonly code = DAILY_TOKEN_BUDGET_CODE
  readonly retryable = false
  constructor(readonly perDay: number) {
    super(`the client that started this job has used its ${perDay} model tokens for today (UTC)`)
  }
}

/** A rough count of a prompt's tokens (~4 characters each, as the demo model counts). */
const promptTokens = (request: LlmRequest) =>
  Math.ceil(request.messages.reduce((n, m) => n + m.content.length, 0) / 4)

/**
 * One job run's model, metered: each finished call's tokens go to `onSpent` (the client's
 * daily spend), and a call that could take the job past `limit` tokens — what it used so far,
 * the prompt, and the most the call may write (`maxOutputTokens`) — is not started but fails
 * with `JobTokenLimitError`; nor is the first call of this run when the job's client has
 * spent its daily budget meanwhile (`DailyTokenBudgetError`). A run is one start of the job:
 * its first, a resumption after a crash or a restart, or the run after its outline was
 * approved, so a job that waited or was interrupted is checked again before it goes on.
 * `used` is where the job stands when this run starts (its checkpointed usage); `limit` 0
 * turns the check off.
 */
export function meterJobTokens(options: {
  llm: LlmClient
  limit: number
  maxOutputTokens: number
  used: number
  onSpent: (tokens: number) => void
  /**
   * The client's daily budget (0: off) and what it has spent today: checked before the run's
   * first call, so jobs queued (or waiting, or interrupted) before the client crossed it do
   * not go on.
   */
  daily?: { perDay: number; spentToday: () => Promise<number> }
}): LlmClient {
  const { llm } = options
  let used = options.used
  let budgetChecked = false
  return {
    provider: llm.provider,
    model: llm.model,
    ready: llm.ready,
    async complete(request) {
      if (
        options.limit > 0 &&
        used + promptTokens(request) + options.maxOutputTokens > options.limit
      ) {
        throw new JobTokenLimitError(options.limit, used)
      }
      const { daily } = options
      // Checked before each run's first call: a run once started is not cut off half-way,
      // but a job resumed or approved later answers to the budget as it is then.
      if (!budgetChecked && daily && daily.perDay > 0) {
        if ((await daily.spentToday()) >= daily.perDay)
          throw new DailyTokenBudgetError(daily.perDay)
        budgetChecked = true
      }
      const result = await llm.complete(request)
      const tokens = result.usage?.totalTokens ?? 0
      used += tokens
      if (tokens > 0) options.onSpent(tokens)
      return result
    },
  }
}
