import { readFileSync } from 'node:fs'

/** Linux reports CPU in clock ticks of 1/100 s (`getconf CLK_TCK` is 100 on every usual build). */
const TICK_MS = 10

/** CPU time (user + system, ms) of a process, from `/proc/<pid>/stat`. */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the `(comm)` name, which may itself hold spaces: utime is 14th, stime 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS
}

/** Resident set size (bytes) of a process, from `/proc/<pid>/status`. */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1]
  return Number(kb ?? 0) * 1024
}

/** Samples a process's CPU between `start()` and `stop()`, and its peak RSS meanwhile. */
export function watchProcess(pid: number, sampleMs = 250) {
  let cpuStart = 0
  let startedAt = 0
  let peakRss = 0
  let timer: NodeJS.Timeout | undefined
  const sample = () => {
    try {
      peakRss = Math.max(peakRss, rssOf(pid))
    } catch {
      // The process is gone; keep what was sampled.
    }
  }
  return {
    start() {
      cpuStart = cpuMsOf(pid)
      startedAt = Date.now()
      sample()
      timer = setInterval(sample, sampleMs)
    },
    /** CPU ms used, CPU % of one core over the wall time, and peak RSS since `start`. */
    stop() {
      clearInterval(timer)
      sample()
      const cpuMs = cpuMsOf(pid) - cpuStart
      const wallMs = Math.max(1, Date.now() - startedAt)
      return { cpuMs, cpuPercent: (100 * cpuMs) / wallMs, peakRssBytes: peakRss, wallMs }
    },
  }
}
