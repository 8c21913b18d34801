import type { Usage } from '@inkflow/shared'
import type { LlmClient } from '../llm/llm.js'
import { LlmError } from '../llm/llm-error.js'
import type { Metrics } from './metrics.js'

/** Wraps a model so every call's latency, outcome, errors and tokens reach the metrics. */
export function instrumentLlm(llm: LlmClient, metrics: Metrics): LlmClient {
  const countTokens = (usage: Usage | undefined) => {
    if (!usage) return
    metrics.llmTokens.inc({ kind: 'prompt' }, usage.promptTokens)
    metrics.llmTokens.inc({ kind: 'completion' }, usage.completionTokens)
  }
  return {
    provider: llm.provider,
    model: llm.model,
    async complete(request) {
      const stop = metrics.llmLatency.startTimer({ task: request.task })
      try {
        const result = await llm.complete(request)
        stop({ outcome: 'ok' })
        countTokens(result.usage)
        return result
      } catch (err) {
        const aborted = request.signal.aborted
        stop({ outcome: aborted ? 'aborted' : 'error' })
        if (!aborted)
          metrics.llmErrors.inc({ code: err instanceof LlmError ? err.code : 'unknown' })
        // A failed or cut call is paid for too (what it sent and received).
        if (err instanceof LlmError) countTokens(err.usage)
        throw err
      }
    },
  }
}
