import { type Logger, pino } from 'pino'
import { createRedactingDestination } from '../lib/redact-secrets.js'

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

/**
 * The process's logger (pino, JSON lines on stdout). Two nets, because a secret can hide in
 * a field we know (`REDACTED_PATHS`, censored) or inside any text at all — an error message,
 * an option object — where only its own value finds it (`secrets`, replaced in every line).
 */
export function createLogger(level: string, secrets: readonly string[] = []): Logger {
  return pino(
    {
      level,
      base: { service: 'inkflow-api' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    createRedactingDestination(secrets, process.stdout),
  )
}
