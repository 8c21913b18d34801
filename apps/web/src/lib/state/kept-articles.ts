import { type Article, RevisionOfSchema } from '@inkflow/shared/mini'
import { z } from 'zod/mini'

/** A kept article is checked before use: storage outlives deploys and can be edited by hand. */
const KeptArticleSchema = z.object({
  id: z.string(),
  topic: z.string(),
  title: z.string(),
  markdown: z.string(),
  language: z.string(),
  revisionOf: z.optional(RevisionOfSchema),
  /** ISO time the server will forget the job, when it said. */
  expiresAt: z.optional(z.string()),
})

/** A finished article as this browser keeps it: enough to read, export and walk its versions. */
export type KeptArticle = z.infer<typeof KeptArticleSchema>

const PREFIX = 'inkflow:kept:'

/**
 * The finished articles this browser started, kept in `localStorage` one key each: the
 * server forgets a job after `JOB_TTL`, the writer's work stays here. Read afresh on each
 * call, so tabs see each other's copies.
 */
export interface KeptArticles {
  get(id: string): KeptArticle | undefined
  /** Keeps (or replaces) an article; storage that is full or blocked keeps nothing. */
  save(article: KeptArticle): void
  remove(id: string): void
  /** The ids of the kept revisions of `id`, as far as this browser knows them. */
  revisionsOf(id: string): string[]
}

type KeptStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>

export function createKeptArticles(storage: KeptStorage | undefined): KeptArticles {
  const get = (id: string) => {
    try {
      const raw = storage?.getItem(PREFIX + id)
      if (!raw) return undefined
      const parsed = KeptArticleSchema.safeParse(JSON.parse(raw))
      return parsed.success && parsed.data.id === id ? parsed.data : undefined
    } catch {
      return undefined
    }
  }
  return {
    get,
    save(article) {
      try {
        storage?.setItem(PREFIX + article.id, JSON.stringify(article))
      } catch {
        // Full or blocked: the server's copy is the only one, as before.
      }
    },
    remove(id) {
      try {
        storage?.removeItem(PREFIX + id)
      } catch {
        // Blocked storage keeps nothing to remove.
      }
    },
    revisionsOf(id) {
      const found: string[] = []
      try {
        for (let i = 0; i < (storage?.length ?? 0); i++) {
          const key = storage?.key(i)
          if (!key?.startsWith(PREFIX)) continue
          const kept = get(key.slice(PREFIX.length))
          if (kept?.revisionOf?.jobId === id) found.push(kept.id)
        }
      } catch {
        // Blocked storage knows no revisions.
      }
      return found
    },
  }
}

/** This browser's kept articles, or none where storage is blocked. */
export function browserKeptArticles(): KeptArticles {
  try {
    return createKeptArticles(window.localStorage)
  } catch {
    return createKeptArticles(undefined)
  }
}

/** A kept copy as an article to show (its sections are read from its Markdown). */
export const keptAsArticle = ({ title, markdown, language }: KeptArticle): Article => ({
  title,
  markdown,
  language,
  sections: [],
})
