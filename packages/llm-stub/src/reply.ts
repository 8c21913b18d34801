/** How the stub answers one chat-completions request: well, or in one of the ways real servers misbehave. */
export interface StubReply {
  /** HTTP status; anything but 200 answers with an OpenAI-style error body. Default 200. */
  status?: number
  headers?: Record<string, string>
  /** The message of an error body (`status`, `errorAfterTokens`). Default `stub error <status>`. */
  errorMessage?: string
  /** The assistant's text; default: `defaultReply` of the request's messages. */
  text?: string
  /** Wait before answering, like a model's time to first token. Default 0. */
  delayMs?: number
  /** Pause between streamed tokens (a trickle, when long). Default: the stub's `tokenDelayMs`. */
  tokenDelayMs?: number
  /** Stop sending after this many tokens and keep the connection open. */
  hangAfterTokens?: number
  /**
   * While hanging (`hangAfterTokens`), send a comment line (`: keep-alive`) this often, as
   * proxies and servers do to keep an idle stream open. Default: none (silence).
   */
  keepAliveMs?: number
  /** Destroy the socket after this many tokens, like a dropped connection. */
  dropAfterTokens?: number
  /** After this many tokens, send an error message in the stream and end it (a 200 that fails). */
  errorAfterTokens?: number
  /**
   * Ignore `max_completion_tokens` / `max_tokens` (as Ollama's OpenAI endpoint does). By
   * default the stub, like OpenAI, stops there with `finish_reason: "length"`.
   */
  ignoreCap?: boolean
  /** Never stop: the text again and again until the client goes (or the cap, unless ignored). */
  endless?: boolean
  /** Send no `usage` chunk, even when asked for one (as several local servers do). */
  omitUsage?: boolean
  /**
   * Body parameters to refuse: a request carrying any of them is answered `400` with the
   * body older vLLM sends for a parameter it does not know (`extra_forbidden`).
   */
  refuseParams?: string[]
  /**
   * Prefix a streamed answer's first token with the moment it is sent, `# t=<ms since epoch>\n`
   * (`performance.timeOrigin + performance.now()`, three decimals), so a reader on the same
   * machine can tell how long that text took to reach it. A YAML comment line: the outline
   * still parses; a section or style answer just carries one odd line. Default false.
   */
  stampFirstToken?: boolean
}

export interface StubRequest {
  index: number
  body: {
    model?: string
    stream?: boolean
    messages: { role: string; content: string }[]
    max_completion_tokens?: number
    max_tokens?: number
  }
  /** True once the client closed the request before the stub finished answering. */
  aborted: boolean
}

/**
 * Decides the reply to one request. A promise holds the answer back until it settles: a test
 * can keep the model from answering until what it watches is ready.
 */
export type ReplyScript = (request: StubRequest) => StubReply | Promise<StubReply>

/** What older vLLM answers (`400`) to a body parameter its request model forbids. */
export function extraForbiddenBody(param: string): string {
  const detail = `[{'type': 'extra_forbidden', 'loc': ('body', '${param}'), 'msg': 'Extra inputs are not permitted', 'input': 300}]`
  return JSON.stringify({
    object: 'error',
    message: detail,
    type: 'BadRequestError',
    param: null,
    code: 400,
  })
}
