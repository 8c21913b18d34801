import { execFileSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Tmpfs {
  dir: string
  /** Writes a file of zeros until the file system says it is full (ENOSPC). */
  fill(): void
  /** Deletes that file: the space is back. */
  free(): void
  unmount(): void
}

/**
 * A small tmpfs of the test's own (`mount -t tmpfs -o size=…`), a disk that fills up for real.
 * Needs root: elsewhere it says why and returns undefined — except under CI=true, where a
 * test that cannot run must fail rather than pass unseen.
 */
export function mountTmpfs(size: string, what: string): Tmpfs | undefined {
  const skip = (why: string) => {
    if (process.env.CI === 'true') throw new Error(`${what}: ${why}, and CI=true requires it`)
    console.warn(`\n  SKIPPED ${what}: ${why}\n`)
    return undefined
  }
  if (process.getuid?.() !== 0) return skip('mounting a tmpfs needs root')
  const dir = mkdtempSync(join(tmpdir(), 'inkflow-full-disk-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' })
  } catch (err) {
    rmSync(dir, { recursive: true, force: true })
    return skip(`mount -t tmpfs failed (${err instanceof Error ? err.message : err})`)
  }
  const filler = join(dir, 'filler')
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a')
      const chunk = Buffer.alloc(4096)
      try {
        // Bounded: a 4 MiB tmpfs holds ~1000 chunks; the loop stops at ENOSPC long before.
        for (let i = 0; i < 1_000_000; i++) writeSync(fd, chunk)
        throw new Error(`${dir} never filled up`)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
      } finally {
        closeSync(fd)
      }
    },
    free() {
      unlinkSync(filler)
    },
    unmount() {
      execFileSync('umount', [dir], { stdio: 'pipe' })
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
