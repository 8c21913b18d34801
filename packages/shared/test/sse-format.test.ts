import { createParser, type EventSourceMessage } from 'eventsource-parser'
import { describe, expect, it } from 'vitest'
import { formatComment, formatFrame, formatRetry } from '../src/sse-format.js'

/** Feeds bytes through a spec-following parser, the way a browser would read them. */
function parse(text: string): EventSourceMessage[] {
  const messages: EventSourceMessage[] = []
  const parser = createParser({ onEvent: (m) => messages.push(m) })
  parser.feed(text)
  return messages
}

describe('formatFrame', () => {
  it('writes event, data and then id, ending in a blank line', () => {
    expect(formatFrame({ event: 'token', data: '{"seq":7}', id: 7 })).toBe(
      'event: token\ndata: {"seq":7}\nid: 7\n\n',
    )
  })

  it('omits the fields it is not given', () => {
    expect(formatFrame({ data: 'x' })).toBe('data: x\n\n')
  })

  it('splits multi-line data into one data line per line, for every kind of line break', () => {
    expect(formatFrame({ data: 'a\nb\r\nc\rd' })).toBe('data: a\ndata: b\ndata: c\ndata: d\n\n')
    expect(parse(formatFrame({ data: 'a\nb\r\nc' }))[0]?.data).toBe('a\nb\nc')
  })

  it('keeps an empty data payload as one empty data line', () => {
    expect(formatFrame({ data: '' })).toBe('data: \n\n')
  })

  it('cannot be made to forge a second frame through the data', () => {
    const hostile = 'hello\n\nevent: job.completed\ndata: {"forged":true}\nid: 999\n\n'
    const messages = parse(formatFrame({ event: 'token', data: hostile, id: 3 }))
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatchObject({
      event: 'token',
      id: '3',
      data: hostile,
    })
  })

  it('cannot be made to forge fields through the event name', () => {
    const frame = formatFrame({
      event: 'token\ndata: forged\n\nevent: job.failed',
      data: 'ok',
      id: 1,
    })
    expect(frame).toBe('event: tokendata: forgedevent: job.failed\ndata: ok\nid: 1\n\n')
    const messages = parse(frame)
    expect(messages).toHaveLength(1)
    expect(messages[0]?.data).toBe('ok')
  })

  it('cannot be made to forge fields through the id, and drops NUL which would void it', () => {
    const frame = formatFrame({ data: 'ok', id: '5\n\ndata: forged\r\0' })
    expect(frame).toBe('data: ok\nid: 5data: forged\n\n')
    expect(parse(frame)).toHaveLength(1)
  })

  it('round-trips JSON payloads through a real parser', () => {
    const payload = JSON.stringify({ type: 'token', text: 'line one\nline two — ünïcode 🎉' })
    const [message] = parse(formatFrame({ event: 'token', data: payload, id: 42 }))
    expect(message?.id).toBe('42')
    expect(JSON.parse(message?.data ?? '')).toEqual(JSON.parse(payload))
  })
})

describe('formatComment', () => {
  it('writes a comment frame that parsers ignore', () => {
    expect(formatComment('ping')).toBe(': ping\n\n')
    expect(parse(formatComment('ping'))).toEqual([])
  })

  it('keeps every line of a multi-line comment a comment', () => {
    expect(formatComment('a\ndata: forged')).toBe(': a\n: data: forged\n\n')
    expect(parse(formatComment('a\ndata: forged\n'))).toEqual([])
  })
})

describe('formatRetry', () => {
  it('writes whole milliseconds', () => {
    expect(formatRetry(1500.7)).toBe('retry: 1500\n\n')
  })

  it('refuses values a client could not use', () => {
    expect(() => formatRetry(-1)).toThrow(RangeError)
    expect(() => formatRetry(Number.NaN)).toThrow(RangeError)
  })
})
