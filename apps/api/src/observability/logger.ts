import { type Logger, pino } from 'pino'

/**
 * Fields no log line may carry, whatever logs them: the arguments of a Redis command an
 * error reports (ioredis puts `AUTH`'s password there), the input of Node's URL errors (a
 * store URL with its password), and any header or field named after a credential.
 */
export const REDACTED_PATHS = [
  'err.command.args',
  'err.input',
  'err.cause.command.args',
  'err.cause.input',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers.cookie',
  '*.headers.cookie',
]

/** The process's logger (pino, JSON lines on stdout) with `REDACTED_PATHS` censored. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'inkflow-api' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  })
}
