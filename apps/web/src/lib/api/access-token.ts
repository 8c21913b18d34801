import { browserStorage, type StorageLike } from './browser-storage.js'

/**
 * The API's access token (`API_TOKEN` on the server), as the person using the page typed it.
 * It is theirs, so it lives in their browser — never in `config.json`, which anyone can read.
 * Storage may be unavailable (private modes, blocked cookies): the token then lasts as long
 * as the page. It only ever goes with `POST /api/jobs`: the API token creates and nothing
 * more. The operator's token (`OPERATOR_TOKEN`) has no place here: the server refuses it for
 * creating, and a refused token is not kept.
 */
export interface AccessToken {
  get(): string | undefined
  set(token: string | undefined): void
  /**
   * The server refused the token: it is removed from storage, so it does not outlive this
   * page; `get` still returns it until the next `set`, so the page can say it was refused.
   */
  refuse(): void
}

const KEY = 'inkflow.apiToken'

export function accessToken(storage: StorageLike | undefined): AccessToken {
  const kept = browserStorage(storage)
  let current = kept.read(KEY)
  return {
    get: () => current,
    set(token) {
      current = token?.trim() || undefined
      if (current) kept.write(KEY, current)
      else kept.remove(KEY)
    },
    refuse: () => kept.remove(KEY),
  }
}
