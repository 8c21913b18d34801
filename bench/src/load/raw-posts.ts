import { connect, type Socket } from 'node:net'

export interface RawPostOptions {
  host: string
  port: number
  path: string
  /** The JSON body of request `i`. */
  bodies: string[]
  localAddress?: string
}

/** A request's answer and the moment its bytes were handed to the socket. */
export interface PostedJob {
  id: string
  postedAt: number
}

/**
 * POSTs every body at once, each on its own connection opened beforehand, and times each
 * from the moment its request is written: what is measured from there is the server's,
 * not a client library's queue (Node's fetch starting 50 requests in one process took
 * longer than the server needed to answer them).
 */
export async function postAtOnce(options: RawPostOptions): Promise<PostedJob[]> {
  const sockets = await Promise.all(
    options.bodies.map(
      () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect({
            host: options.host,
            port: options.port,
            localAddress: options.localAddress,
          })
          socket.setNoDelay(true)
          socket.once('connect', () => resolve(socket))
          socket.once('error', reject)
        }),
    ),
  )
  const answers = sockets.map((socket, i) => {
    const body = options.bodies[i]!
    const answer = readAnswer(socket)
    const postedAt = Date.now()
    socket.write(
      `POST ${options.path} HTTP/1.1\r\nHost: ${options.host}:${options.port}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    )
    return answer.then((text) => ({ postedAt, text }))
  })
  return Promise.all(
    answers.map(async (answer) => {
      const { postedAt, text } = await answer
      const [head = '', body = ''] = text.split(/\r\n\r\n([\s\S]*)/)
      if (!head.startsWith('HTTP/1.1 202')) throw new Error(`POST answered: ${head.slice(0, 40)}`)
      return { id: (JSON.parse(body) as { id: string }).id, postedAt }
    }),
  )
}

/** Everything the server sends until it closes the connection (`Connection: close`). */
function readAnswer(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      text += chunk
    })
    socket.once('error', reject)
    socket.once('close', () => resolve(text))
  })
}
