import { type LogLine, listeningUrl, type MainProcess, startMain } from '../process/spawn-api.js'

export interface ClusterProcess extends MainProcess {
  role: 'api' | 'worker'
  /** The API's base URL (`ROLE=api`); undefined for a worker. */
  url: string | undefined
}

/** Runs the built API (`dist/main.js`) in a role; resolves once it says it started. */
export async function startProcess(
  role: 'api' | 'worker',
  env: Record<string, string>,
): Promise<ClusterProcess> {
  const started = startMain({ ...env, ROLE: role })
  const ready = (line: LogLine) =>
    role === 'api' ? listeningUrl([line]) !== undefined : /^worker started/.test(String(line.msg))
  await started.waitForLog(ready).catch((err) => {
    started.kill('SIGKILL')
    throw err
  })
  return { ...started, role, url: listeningUrl(started.lines) }
}
