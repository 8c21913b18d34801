/**
 * The bare model client's process: runs the chains of calls the harness sends
 * (`runChains`) and answers with their timings. A process of its own, as inkflow's API is,
 * so neither side of the comparison shares its event loop with the harness or the stub.
 */
import { type ChatBody, runChains } from '../load/model-call-chains.js'

export interface BareClientCommand {
  url: string
  chains: ChatBody[][]
}

process.on('message', async ({ url, chains }: BareClientCommand) => {
  try {
    process.send?.({ kind: 'timings', timings: await runChains(url, chains) })
  } catch (err) {
    process.send?.({ kind: 'failed', message: err instanceof Error ? err.message : String(err) })
  }
})
// The harness going away (even by SIGKILL) closes the channel: leave with it.
process.on('disconnect', () => process.exit(0))
process.send?.({ kind: 'ready' })
