import type { Article } from '@inkflow/shared'
import type { ApiClient } from '../api/api-client.js'
import { emptyJobView, type JobView } from './job-view.js'
import type { KeptArticle } from './kept-articles.js'
import { type KeptArticles, keptAsArticle } from './kept-articles.js'

/**
 * The article of the version a revision revises: from the server, or, once the server has
 * forgotten it, from this browser's copy; null when neither has it.
 */
export async function revisedVersion(
  api: ApiClient,
  kept: KeptArticles,
  id: string,
): Promise<Article | null> {
  const copy = () => {
    const found = kept.get(id)
    return found ? keptAsArticle(found) : null
  }
  try {
    return (await api.getJob(id)).article ?? copy()
  } catch {
    return copy()
  }
}

/** A kept copy as a finished job's view, for a page whose job the server has forgotten. */
export function keptJobView(copy: KeptArticle): JobView {
  return {
    ...emptyJobView(copy.id),
    topic: copy.topic,
    revisionOf: copy.revisionOf ?? null,
    status: 'completed',
    progress: 100,
    title: copy.title,
    article: keptAsArticle(copy),
    activity: 'Kept in this browser',
  }
}
