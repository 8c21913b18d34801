/**
 * HTTP/1.1 chunked transfer decoding over latin1 text (one char per byte, so lengths are
 * byte counts). The load generator reads raw sockets rather than through an HTTP client so
 * that 10,000 streams cost as little client CPU as possible; inkflow's and the baseline's
 * SSE bodies are chunked, so this undoes the framing and hands on the payload.
 */
export interface Dechunker {
  /** Feeds the next piece of the body; calls `onData` with decoded payload text. */
  feed(text: string): void
  /** True once the terminating zero-size chunk has been read. */
  readonly ended: boolean
}

/** Creates a decoder that passes each decoded payload piece to `onData`. */
export function createDechunker(onData: (payload: string) => void): Dechunker {
  let sizeLine = '' // hex size being read (a chunk header may straddle two reads)
  let remaining = -1 // payload bytes left in the current chunk; -1 while reading a header
  let crlf = 0 // bytes of the CRLF after a payload still to skip
  let ended = false

  return {
    get ended() {
      return ended
    },
    feed(text) {
      let i = 0
      while (i < text.length && !ended) {
        if (crlf > 0) {
          const skip = Math.min(crlf, text.length - i)
          crlf -= skip
          i += skip
        } else if (remaining > 0) {
          const take = Math.min(remaining, text.length - i)
          onData(text.slice(i, i + take))
          remaining -= take
          i += take
          if (remaining === 0) {
            remaining = -1
            crlf = 2
          }
        } else {
          // Look for the LF alone: a read may end between the header's CR and its LF.
          const eol = text.indexOf('\n', i)
          if (eol < 0) {
            sizeLine += text.slice(i)
            return
          }
          sizeLine += text.slice(i, eol)
          i = eol + 1
          // Chunk extensions (`;name=value`) are legal; the size is what comes before them.
          const size = Number.parseInt(sizeLine.replace('\r', '').split(';')[0] ?? '', 16)
          sizeLine = ''
          if (Number.isNaN(size)) throw new Error('malformed chunk size')
          if (size === 0) ended = true
          else remaining = size
        }
      }
    },
  }
}
