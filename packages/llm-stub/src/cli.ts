/**
 * A stub model server to try inkflow against by hand, well-behaved or not:
 * `node dist/cli.js [mode] [port]` (default `good`, 11435), then point inkflow at it with
 * `LLM_PROVIDER=openai OPENAI_API_KEY=stub OPENAI_BASE_URL=http://127.0.0.1:11435/v1`.
 */

import { startLlmStub } from './index.js'
import { MODES } from './modes.js'

const [mode = 'good', port = '11435'] = process.argv.slice(2)
const chosen = MODES[mode]
if (!chosen) {
  console.error(`unknown mode ${mode}; one of:`)
  for (const [name, { about }] of Object.entries(MODES)) console.error(`  ${name}: ${about}`)
  process.exit(2)
}
const stub = await startLlmStub({ port: Number(port), reply: chosen.reply })
console.log(`llm-stub (${mode}: ${chosen.about}) on ${stub.url}`)
