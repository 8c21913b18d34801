import { isOutline, type ReplyScript } from '@inkflow/llm-stub'

/**
 * Markdown an attacker would like a model to answer: a script, an event handler, `javascript:`
 * links (Markdown and raw), and one fine link that must survive.
 */
export const HOSTILE_TEXT = [
  'Plain words first. <script>window.__pwned = "script"</script>',
  '',
  '<img src="x" onerror="window.__pwned = \'onerror\'"> and an [innocent link](javascript:window.__pwned=\'link\') here.',
  '',
  '<a href="javascript:window.__pwned=\'raw\'" onclick="window.__pwned=\'click\'">raw anchor</a>',
  '',
  '[a fine link](https://example.com/) stays.',
].join('\n')

/** A real chat-completions server: the outline as asked, every section the hostile text. */
export const hostileModel: ReplyScript = (request) =>
  isOutline(request) ? {} : { text: HOSTILE_TEXT }
