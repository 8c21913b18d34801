import { describe, expect, it } from 'vitest'
import {
  type ChatCompletionChunk,
  readChatCompletionStream,
} from '../../src/llm/chat-completion-stream.js'
import { LlmError } from '../../src/llm/llm-error.js'

const bytes = (text: string) => new TextEncoder().encode(text)

/** The body cut into pieces of `size` bytes (1: every byte on its own, splitting é and CRLF). */
async function* pieces(text: string, size: number) {
  const all = bytes(text)
  for (let i = 0; i < all.length; i += size) yield all.subarray(i, i + size)
}

async function read(text: string, size = 1 << 16): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = []
  await readChatCompletionStream(pieces(text, size), (c) => chunks.push(c))
  return chunks
}

const delta = (content: string) => JSON.stringify({ choices: [{ delta: { content } }] })
const contents = (chunks: ChatCompletionChunk[]) =>
  chunks.map((c) => c.choices?.[0]?.delta?.content ?? null)

describe('readChatCompletionStream', () => {
  const body =
    `: keep-alive\n\ndata: ${delta('Crème ')}\n\n` +
    `data: ${delta('brûlée')}\r\n\r\n` +
    `data: ${delta('!')}\r\r` +
    `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 } })}\n\n` +
    'data: [DONE]\n\n'

  it('reads every chunk, in order, however the body is cut (LF, CRLF and CR line ends)', async () => {
    for (const size of [1, 2, 3, 7, 64, 1 << 16]) {
      const chunks = await read(body, size)
      expect(contents(chunks), `pieces of ${size} bytes`).toEqual(['Crème ', 'brûlée', '!', null])
      expect(chunks.at(-1)?.usage?.total_tokens).toBe(6)
    }
  })

  it('joins a message of several data lines and ignores other fields', async () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = [
        'id: 1',
        'retry: 10',
        'data: {"choices":',
        'data: [{"delta":{"content":"a"}}]}',
        '',
        '',
      ]
      for (const size of [1, 1 << 16]) {
        expect(contents(await read(text.join(eol), size)), JSON.stringify(eol)).toEqual(['a'])
      }
    }
  })

  it('stops at [DONE] but reads the body to its end', async () => {
    const rest: string[] = []
    async function* body() {
      yield bytes(`data: ${delta('x')}\n\ndata: [DONE]\n\n`)
      rest.push('read on')
      yield bytes(`data: ${delta('after')}\n\n`)
    }
    const chunks: ChatCompletionChunk[] = []
    await readChatCompletionStream(body(), (c) => chunks.push(c))
    expect(contents(chunks)).toEqual(['x'])
    expect(rest).toEqual(['read on'])
  })

  it('drops a message the body ends in the middle of', async () => {
    expect(contents(await read(`data: ${delta('whole')}\n\ndata: ${delta('cut')}\n`))).toEqual([
      'whole',
    ])
  })

  it('fails retryably on an error message mid-answer, after the chunks before it', async () => {
    for (const error of [
      `data: {"error":{"message":"overloaded"}}\n\n`,
      `event: error\ndata: {"message":"overloaded"}\n\n`,
    ]) {
      const seen: ChatCompletionChunk[] = []
      const failure = await readChatCompletionStream(
        pieces(`data: ${delta('a')}\n\n${error}data: ${delta('b')}\n\n`, 5),
        (c) => seen.push(c),
      ).catch((err: unknown) => err)
      expect(failure).toBeInstanceOf(LlmError)
      expect(failure).toMatchObject({ code: 'llm_unavailable', retryable: true })
      expect(contents(seen)).toEqual(['a'])
    }
  })

  it('fails retryably on a chunk that is not JSON', async () => {
    await expect(read('data: {"choices": [\n\n')).rejects.toMatchObject({
      code: 'llm_unavailable',
      retryable: true,
    })
  })
})
