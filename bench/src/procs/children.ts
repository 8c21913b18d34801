import type { ChildProcess } from 'node:child_process'

const children = new Set<ChildProcess>()

/** Remembers a child so that `killAll` (run on every exit path) ends it. */
export function track<T extends ChildProcess>(child: T): T {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

/** SIGKILLs every child still running; safe to call more than once. */
export function killAll(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  children.clear()
}

/** Kills `child` and resolves once it has exited. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL') {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill(signal)
  await exited
}
