import type { Settings } from '../env.js'
import { createDemoClient } from '../llm/demo.js'
import type { LlmClient } from '../llm/llm.js'
import { createThreadedLlm } from '../llm/threaded-llm.js'

/**
 * The provider the settings name: `openai` when a key is set (run on a thread of its own),
 * else the offline `demo`.
 */
export function createLlm(settings: Settings['llm']): LlmClient {
  if (settings.provider === 'openai') {
    return createThreadedLlm({
      apiKey: settings.apiKey ?? '',
      baseUrl: settings.baseUrl,
      model: settings.model,
      timeoutMs: settings.timeoutMs,
      maxOutputTokens: settings.maxOutputTokens,
    })
  }
  return createDemoClient({
    tokenDelayMs: settings.demoTokenDelayMs,
    stampTokens: settings.demoTokenStamps,
    maxOutputTokens: settings.maxOutputTokens,
  })
}
