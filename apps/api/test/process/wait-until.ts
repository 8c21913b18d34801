/** Polls `check` every 10 ms until it holds; fails naming `what` after `ms` (default 5 s). */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 5000,
): Promise<void> {
  const until = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
