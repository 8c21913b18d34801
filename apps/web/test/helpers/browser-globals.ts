/**
 * fetch-event-source is written for browsers: it calls `window.clearTimeout` and
 * `document.removeEventListener` when a stream ends. Node has neither, so stream tests
 * import this first. Nothing else is faked: requests go through Node's real `fetch`.
 */
const g = globalThis as Record<string, unknown>
g.window ??= globalThis
g.document ??= Object.assign(new EventTarget(), { hidden: false })
