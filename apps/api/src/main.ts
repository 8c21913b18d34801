import type { AddressInfo } from 'node:net'
import type { Logger } from 'pino'
import { createLlm } from './compose/create-llm.js'
import { createRuntime } from './compose/create-runtime.js'
import { createStorage } from './compose/create-storage.js'
import { loadSettings, type Settings, SettingsError } from './env.js'
import { applyServerTimeouts } from './http/server-timeouts.js'
import { createLogger } from './observability/logger.js'

/** Longest a graceful stop may take before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 10_000

async function main() {
  let settings: ReturnType<typeof loadSettings>
  try {
    settings = loadSettings()
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err
    process.stderr.write(`inkflow: ${err.message}\n`)
    process.exit(1)
  }
  const logger = createLogger(settings.logLevel, settings.logSecrets)
  try {
    await start(settings, logger)
  } catch (err) {
    // Through the logger, which censors credentials: a start-up error may carry the password
    // (Node's own report of an uncaught error would print every field of it).
    logger.fatal({ err }, 'inkflow could not start')
    process.exit(1)
  }
}

async function start(settings: Settings, logger: Logger) {
  const storage = await createStorage(settings.storeUrl, {
    redis: {
      ...settings.redis,
      instanceName: `${settings.role}-${process.pid}`,
      onError: (err) => logger.warn({ err }, 'redis error'),
      logger,
    },
  }).catch((err: unknown) => {
    throw new Error('the store could not be opened', { cause: err })
  })
  const llm = createLlm(settings.llm)
  await llm.ready // the model thread loads the SDK before the first job can call it
  if (llm.provider === 'demo') {
    logger.warn('no OPENAI_API_KEY set: using the offline demo model (set one for real articles)')
  }
  const runtime = createRuntime({ settings, storage, llm, logger })

  // A worker-only process (ROLE=worker, redis mode) runs jobs and serves no HTTP.
  const server = settings.role === 'worker' ? undefined : listen()
  if (!server) {
    logger.info(
      { provider: llm.provider, model: llm.model, store: storage.kind, pid: process.pid },
      `worker started (${settings.maxConcurrentJobs} jobs at once)`,
    )
  }
  function listen() {
    const server = runtime.app.listen(settings.port, settings.host, () => {
      const { address, port } = server.address() as AddressInfo
      const host = address.includes(':') ? `[${address}]` : address
      // The one line every LOG_LEVEL prints: where to reach the API (tools wait for it).
      logger
        .child({}, { level: 'info' })
        .info(
          { provider: llm.provider, model: llm.model, store: storage.kind },
          `listening on http://${host}:${port}`,
        )
    })
    // Header and request deadlines, and a keep-alive longer than the proxy's upstream one.
    applyServerTimeouts(server)
    server.on('error', (err) => {
      logger.fatal({ err }, 'the server could not start')
      process.exit(1)
    })
    return server
  }
  const recovered = await runtime.recover()
  if (recovered > 0) logger.info({ recovered }, 'resuming unfinished jobs')

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down')
    setTimeout(() => {
      logger.error('graceful shutdown timed out')
      process.exit(1)
    }, SHUTDOWN_TIMEOUT_MS).unref()
    server?.close()
    await runtime.stop()
    server?.closeAllConnections()
    await storage.close()
    logger.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}

await main()
