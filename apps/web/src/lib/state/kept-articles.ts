import { type Article, RevisionOfSchema } from '@inkflow/shared'
import { z } from 'zod/mini'
import { browserStorage, pageStorage, type StorageLike } from '../api/browser-storage.js'

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

const key = (id: string) => `inkflow:kept:${id}`

/**
 * The finished articles this browser started, kept in `localStorage` one key each: the
 * server forgets a job after `JOB_TTL`, the writer's work stays here. Read afresh on each
 * call, so tabs see each other's copies. Storage that is full or blocked keeps nothing, and
 * the server's copy is the only one, as before.
 */
export interface KeptArticles {
  get(id: string): KeptArticle | undefined
  /** Keeps (or replaces) an article. */
  save(article: KeptArticle): void
  remove(id: string): void
}

export function createKeptArticles(storage: StorageLike | undefined): KeptArticles {
  const kept = browserStorage(storage)
  return {
    get(id) {
      const parsed = KeptArticleSchema.safeParse(kept.readJson(key(id)))
      return parsed.success && parsed.data.id === id ? parsed.data : undefined
    },
    save: (article) => kept.write(key(article.id), JSON.stringify(article)),
    remove: (id) => kept.remove(key(id)),
  }
}

/** This browser's kept articles, or none where storage is blocked. */
export const browserKeptArticles = (): KeptArticles =>
  createKeptArticles(pageStorage('localStorage'))

/** A kept copy as an article to show (its sections are read from its Markdown). */
export const keptAsArticle = ({ title, markdown, language }: KeptArticle): Article => ({
  title,
  markdown,
  language,
  sections: [],
})
