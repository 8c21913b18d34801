import type { LiveMarkdown } from './live-markdown.js'

let loading: Promise<typeof LiveMarkdown> | undefined

/**
 * The Markdown renderer, loaded on first use (a job page) and kept: it is not part of the
 * first load. A failed load is tried again on the next call.
 */
export function loadMarkdown(): Promise<typeof LiveMarkdown> {
  loading ??= import('./live-markdown.js').then(
    (module) => module.LiveMarkdown,
    (error: unknown) => {
      loading = undefined
      throw error
    },
  )
  return loading
}

/** The renderer's whole-text HTML (`markdownHtml`), from the same on-demand chunk. */
export function loadMarkdownHtml(): Promise<(markdown: string) => string> {
  return import('./live-markdown.js').then((module) => module.markdownHtml)
}
