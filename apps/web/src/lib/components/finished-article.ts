/** What a finished article's page adds, loaded together once the article is there. */
export { default as FinishedPanel } from './FinishedPanel.svelte'
export { default as ReviseSection } from './ReviseSection.svelte'
