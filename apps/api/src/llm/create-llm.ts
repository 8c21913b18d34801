import type { Settings } from '../env.js'
import { createDemoClient } from './demo.js'
import type { LlmClient } from './llm.js'
import { createOpenAiClient } from './openai.js'

/** The provider the settings name: `openai` when a key is set, else the offline `demo`. */
export function createLlm(settings: Settings['llm']): LlmClient {
  if (settings.provider === 'openai') {
    return createOpenAiClient({
      apiKey: settings.apiKey ?? '',
      baseUrl: settings.baseUrl,
      model: settings.model,
      timeoutMs: settings.timeoutMs,
    })
  }
  return createDemoClient({ tokenDelayMs: settings.demoTokenDelayMs })
}
