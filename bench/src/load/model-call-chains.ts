import type { StubRequest } from '@inkflow/llm-stub'

/** A chat-completions request body, as the stub recorded it. */
export type ChatBody = StubRequest['body']

/** One chain's calls, timed from the moment its first request was handed to fetch. */
export interface ChainTiming {
  /** To the first bytes of the answer to call `firstContentCall`. */
  firstContentMs: number
  /** To the end of the last answer. */
  doneMs: number
}

/**
 * Splits calls recorded at the stub into one chain per job, in the order they were made: a
 * call belongs to the job whose topic its last message names (outline and section prompts
 * name it, the style prompt's draft carries it in its title). Topics must not contain one
 * another (`bench topic 007`, not `bench topic 7`); a call naming none is left out.
 */
export function chainsByTopic(bodies: ChatBody[], topics: string[]): ChatBody[][] {
  const chains = topics.map((): ChatBody[] => [])
  for (const body of bodies) {
    const prompt = body.messages.at(-1)?.content ?? ''
    const job = topics.findIndex((topic) => prompt.includes(topic))
    if (job >= 0) chains[job]!.push(body)
  }
  return chains
}

/** Sends one call and reads its answer to the end; resolves with when its first bytes came. */
async function call(url: string, body: string): Promise<number> {
  const res = await fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  })
  if (!res.ok || !res.body) throw new Error(`model call answered ${res.status}`)
  let firstAt = Number.NaN
  for await (const chunk of res.body) {
    if (Number.isNaN(firstAt) && chunk.byteLength > 0) firstAt = performance.now()
  }
  return firstAt
}

/**
 * The least any client of the model must wait: every chain at once, each making its calls
 * one after the other (the next sent when the last answer has ended), with nothing between
 * them — no job, no store, no parsing, no events. `url` is the model's base (`…/v1`); the
 * first words are those of call `firstContentCall` (default 1: an article's first section,
 * after its outline).
 */
export async function runChains(
  url: string,
  chains: ChatBody[][],
  firstContentCall = 1,
): Promise<ChainTiming[]> {
  const bodies = chains.map((chain) => chain.map((body) => JSON.stringify(body)))
  return Promise.all(
    bodies.map(async (chain) => {
      const start = performance.now()
      let firstContentMs = Number.NaN
      for (const [i, body] of chain.entries()) {
        const firstAt = await call(url, body)
        if (i === firstContentCall) firstContentMs = firstAt - start
      }
      return { firstContentMs, doneMs: performance.now() - start }
    }),
  )
}
