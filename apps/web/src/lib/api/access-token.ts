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

export function accessToken(
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined,
): AccessToken {
  let current: string | undefined
  try {
    current = storage?.getItem(KEY) ?? undefined
  } catch {
    current = undefined
  }
  return {
    get: () => current,
    set(token) {
      current = token?.trim() || undefined
      try {
        if (current) storage?.setItem(KEY, current)
        else storage?.removeItem(KEY)
      } catch {
        // Not kept across reloads; still used for this page.
      }
    },
    refuse() {
      try {
        storage?.removeItem(KEY)
      } catch {
        // Nothing was kept.
      }
    },
  }
}
