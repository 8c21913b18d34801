import { browserStorage, type StorageLike } from './browser-storage.js'

/**
 * The jobs this browser started: their ids and owner tokens (which cancel them), with the
 * topic and time to list them by. The API lists every job only to its operators, so this is
 * the person's own history: another browser, given a job's link, can read the job but has
 * no token to control it.
 *
 * Kept in `localStorage`, read afresh on each call so tabs see each other's jobs. Storage may
 * be unavailable (private modes, blocked cookies): the history then lasts as long as the page.
 */
export interface HistoryEntry {
  id: string
  ownerToken: string
  topic: string
  /** The article's title, once the job's page has seen one. */
  title?: string
  /** ISO time the job was started. */
  createdAt: string
  /** For a revision: the id of the version it revises. */
  revisionOf?: string
}

export interface JobHistory {
  /** Newest first. */
  list(): HistoryEntry[]
  /** Records a job just started (replacing an entry with its id). */
  add(entry: HistoryEntry): void
  /** The owner token of a job this browser started, or undefined. */
  ownerToken(id: string): string | undefined
  /** Forgets a job (one the server no longer knows, or one the person took off the list). */
  remove(id: string): void
  /** The jobs this browser started as revisions of `id`, newest first. */
  revisionsOf(id: string): string[]
  /** Records the title of a job in the history (no-op for a job not in it). */
  setTitle(id: string, title: string): void
}

const KEY = 'inkflow.jobs'
/** The oldest entries go beyond this: a history, not an archive. */
export const HISTORY_MAX_ENTRIES = 50

const isEntry = (value: unknown): value is HistoryEntry => {
  if (typeof value !== 'object' || value === null) return false
  const e = value as Record<string, unknown>
  return (
    typeof e.id === 'string' &&
    typeof e.ownerToken === 'string' &&
    typeof e.topic === 'string' &&
    (e.title === undefined || typeof e.title === 'string') &&
    (e.revisionOf === undefined || typeof e.revisionOf === 'string') &&
    typeof e.createdAt === 'string'
  )
}

const newestFirst = (a: HistoryEntry, b: HistoryEntry) =>
  a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0

export function jobHistory(storage: StorageLike | undefined): JobHistory {
  const kept = browserStorage(storage)
  // What this page knows, for when storage cannot be read or written.
  let fallback: HistoryEntry[] = []

  const read = (): HistoryEntry[] => {
    const parsed = kept.readJson(KEY)
    return Array.isArray(parsed) ? parsed.filter(isEntry) : fallback
  }

  const write = (entries: HistoryEntry[]) => {
    fallback = entries.sort(newestFirst).slice(0, HISTORY_MAX_ENTRIES)
    kept.write(KEY, JSON.stringify(fallback))
  }

  return {
    list: () => [...read()].sort(newestFirst),
    add(entry) {
      write([{ ...entry }, ...read().filter((e) => e.id !== entry.id)])
    },
    ownerToken: (id) => read().find((e) => e.id === id)?.ownerToken,
    revisionsOf: (id) =>
      [...read()]
        .sort(newestFirst)
        .filter((e) => e.revisionOf === id)
        .map((e) => e.id),
    remove(id) {
      const entries = read()
      if (entries.some((e) => e.id === id)) write(entries.filter((e) => e.id !== id))
    },
    setTitle(id, title) {
      const entries = read()
      const entry = entries.find((e) => e.id === id)
      if (!entry || entry.title === title) return
      write(entries.map((e) => (e.id === id ? { ...e, title } : e)))
    },
  }
}
