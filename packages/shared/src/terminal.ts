/**
 * Which events end a job's stream, without zod: shared by the classic schemas (the API) and
 * the `zod/mini` ones (the browser), so the browser gets it without the classic schemas.
 */

export const TERMINAL_EVENT_TYPES = ['job.completed', 'job.failed', 'job.cancelled'] as const
export type TerminalEventType = (typeof TERMINAL_EVENT_TYPES)[number]

/** True for the events after which a job's stream ends. */
export const isTerminalEvent = (e: { type: string }): boolean =>
  (TERMINAL_EVENT_TYPES as readonly string[]).includes(e.type)
