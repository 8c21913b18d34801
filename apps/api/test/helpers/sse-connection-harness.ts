import { once } from 'node:events'
import { createServer, type Server, type ServerResponse } from 'node:http'
import { connect, type Socket } from 'node:net'
import { createHeartbeat } from '../../src/http/sse/heartbeat.js'
import { createSseConnection, type SseConnection } from '../../src/http/sse/sse-connection.js'

const servers: Server[] = []

/** Closes every server `openSseConnection` started (call it after each test). */
export function closeSseServers(): void {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    server.close()
  }
}

/**
 * A real server whose one response is driven by the test through an `SseConnection`, and a
 * raw client socket that records every byte it receives.
 */
export async function openSseConnection(
  options: {
    heartbeatMs?: number
    onDrain?: () => void
    paused?: boolean
    /** What the client sends; one GET over HTTP/1.1 by default. */
    request?: string
  } = {},
): Promise<{
  connection: SseConnection
  /** The server side of the response, for what the connection does to its socket. */
  res: ServerResponse
  client: Socket
  /** Every byte received so far, as latin1 text (one character per byte). */
  received: () => string
  /** Every byte received so far. */
  bytes: () => Buffer
}> {
  let resolveOpened: (value: { connection: SseConnection; res: ServerResponse }) => void
  const opened = new Promise<{ connection: SseConnection; res: ServerResponse }>((resolve) => {
    resolveOpened = resolve
  })
  const heartbeat = createHeartbeat(options.heartbeatMs ?? 60_000)
  const server: Server = createServer((req, res) => {
    const connection = createSseConnection({
      req,
      res,
      heartbeat,
      onDrain: options.onDrain ?? (() => {}),
      onGone: () => {},
    })
    resolveOpened({ connection, res })
  })
  servers.push(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  const client: Socket = connect(port, '127.0.0.1')
  if (options.paused) client.pause()
  client.write(options.request ?? 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
  let received = Buffer.alloc(0)
  client.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk])
  })
  const { connection, res } = await opened
  return {
    connection,
    res,
    client,
    received: () => received.toString('latin1'),
    bytes: () => received,
  }
}
