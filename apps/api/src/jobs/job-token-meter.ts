import type { Usage } from '@inkflow/shared'
import type { LlmClient, LlmRequest } from '../llm/llm.js'
import { LlmError } from '../llm/llm-error.js'
import { estimatePromptTokens, estimateUsage } from '../llm/usage.js'

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

/**
 * What a call that did not finish cost: what its provider says, else — a call aborted, or a
 * provider that cannot tell — the prompt and the text that had arrived, when any had.
 */
function costOfFailure(err: unknown, request: LlmRequest, received: number): Usage | undefined {
  if (err instanceof LlmError && err.usage) return err.usage
  return received === 0 ? undefined : estimateUsage(request.messages, received)
}

/**
 * One job run's model, metered. Every call's tokens — finished, failed, cut or aborted, as
 * reported or else estimated (`usage.estimated`) — go to `onSpent` (the job's usage and its
 * client's daily spend) and count against the job's `limit`: a call that could take the job
 * past it — what it used so far, the prompt, and the most the call may write
 * (`maxOutputTokens`) — is not started but fails with `JobTokenLimitError`; nor is the first
 * call of this run when the job's client has spent its daily budget meanwhile
 * (`DailyTokenBudgetError`). A run is one start of the job: its first, a resumption after a
 * crash or a restart, or the run after its outline was approved, so a job that waited or was
 * interrupted is checked again before it goes on.
 * `used` is where the job stands when this run starts (its checkpointed usage); `limit` 0
 * turns the check off.
 */
export function meterJobTokens(options: {
  llm: LlmClient
  limit: number
  maxOutputTokens: number
  used: number
  onSpent: (usage: Usage) => void
  /**
   * The client's daily budget (0: off) and what it has spent today: checked before the run's
   * first call, so jobs queued (or waiting, or interrupted) before the client crossed it do
   * not go on.
   */
  daily?: { perDay: number; spentToday: () => Promise<number> }
}): LlmClient {
  const { llm } = options
  let used = options.used
  const spent = (usage: Usage | undefined) => {
    if (!usage || usage.totalTokens === 0) return
    used += usage.totalTokens
    options.onSpent(usage)
  }
  let budgetChecked = false
  return {
    provider: llm.provider,
    model: llm.model,
    ready: llm.ready,
    async complete(request) {
      if (
        options.limit > 0 &&
        used + estimatePromptTokens(request.messages) + options.maxOutputTokens > options.limit
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
      let received = 0 // characters
      try {
        const result = await llm.complete({
          ...request,
          onToken: (text) => {
            received += text.length
            request.onToken?.(text)
          },
        })
        spent(result.usage ?? estimateUsage(request.messages, result.text))
        return result
      } catch (err) {
        spent(costOfFailure(err, request, received))
        throw err
      }
    },
  }
}
