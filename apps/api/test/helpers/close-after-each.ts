import { afterEach } from 'vitest'

interface Closable {
  close(): Promise<unknown>
}

/**
 * Returns `closing`, which hands back what it is given and closes it after the test, however
 * the test ended: the last one started first (a server before the model stub it calls).
 */
export function closeAfterEach(): <T extends Closable>(thing: T) => T {
  const open: Closable[] = []
  afterEach(async () => {
    for (const thing of open.splice(0).reverse()) await thing.close()
  })
  return (thing) => {
    open.push(thing)
    return thing
  }
}
