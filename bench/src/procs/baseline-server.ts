/**
 * The practical limit: a bare `node:http` server that writes SSE frames of a given size to
 * every socket of a channel at a fixed rate — no framework, no store, no JSON — so that
 * inkflow's figures can be read as ratios to what Node itself manages on this machine in
 * the same run. Runs as a child process, driven over IPC by `baseline.ts`.
 */
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface BaselinePlan {
  channels: number
  /** Frames per channel before its terminal frame. */
  frames: number
  /** Pause between a channel's frames. */
  intervalMs: number
  /** Bytes of each frame, padded to match inkflow's average. */
  frameBytes: number
}

const HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
  Connection: 'keep-alive',
}
const channels = new Map<string, Set<ServerResponse>>()

function frame(channel: string, seq: number, type: string, frameBytes: number): string {
  const head = `{"type":"${type}","jobId":"${channel}","seq":${seq},"ts":"${new Date().toISOString()}","text":"`
  const bare = `event: ${type}\ndata: ${head}"}\nid: ${seq}\n\n`
  return `event: ${type}\ndata: ${head}${'x'.repeat(Math.max(0, frameBytes - bare.length))}"}\nid: ${seq}\n\n`
}

/** Runs one channel: `frames` frames then a terminal one, to every socket it holds. */
function play(channel: string, plan: BaselinePlan): Promise<void> {
  return new Promise((resolve) => {
    let seq = 0
    const tick = () => {
      seq++
      const last = seq > plan.frames
      const text = frame(channel, seq, last ? 'job.completed' : 'token', plan.frameBytes)
      for (const res of channels.get(channel) ?? []) {
        res.write(text)
        if (last) res.end()
      }
      if (last) {
        clearInterval(timer)
        resolve()
      }
    }
    const timer = setInterval(tick, plan.intervalMs)
  })
}

const server = createServer((req, res) => {
  const channel = /^\/c\/([\w-]+)$/.exec(req.url ?? '')?.[1]
  if (!channel) {
    res.writeHead(404).end()
    return
  }
  const set = channels.get(channel) ?? new Set()
  channels.set(channel, set)
  set.add(res)
  res.on('close', () => set.delete(res))
  res.writeHead(200, HEADERS)
  res.write('retry: 1000\n\n')
})
server.maxConnections = 1_000_000
server.listen(0, '127.0.0.1', () => {
  process.send?.({ kind: 'ready', port: (server.address() as AddressInfo).port })
})

process.on('message', async (message: { cmd: 'play'; plan: BaselinePlan } | { cmd: 'stats' }) => {
  if (message.cmd === 'play') {
    const { plan } = message
    await Promise.all(Array.from({ length: plan.channels }, (_, i) => play(`c${i}`, plan)))
    process.send?.({ kind: 'played' })
  } else {
    let open = 0
    for (const set of channels.values()) open += set.size
    process.send?.({ kind: 'stats', open, rssBytes: process.memoryUsage.rss() })
  }
})
process.on('disconnect', () => process.exit(0))
