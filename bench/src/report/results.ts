import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'

const RESULTS = fileURLToPath(new URL('../../results/', import.meta.url))

/** One target of the issue, checked against a figure of the run. */
export interface TargetCheck {
  name: string
  value: number
  /** e.g. `>= 2000` or `< 20`. */
  target: string
  met: boolean
}

export interface ScenarioResult {
  scenario: string
  /** The figures that fit on the table row, in order. */
  summary: string
  targets: TargetCheck[]
  /** Everything measured, for the JSON file. */
  figures: Record<string, unknown>
}

/** `value` against `op limit`, e.g. `check('p99 ms', 42, '<', 100)`. */
export function check(name: string, value: number, op: '<' | '<=' | '>=', limit: number) {
  const met =
    Number.isFinite(value) &&
    (op === '<' ? value < limit : op === '<=' ? value <= limit : value >= limit)
  return { name, value: round(value), target: `${op} ${round(limit)}`, met }
}

/** Rounds to a readable precision: 3 significant digits, integers kept whole. */
export function round(value: number): number {
  if (!Number.isFinite(value) || Math.abs(value) >= 100) return Math.round(value)
  return Number(value.toPrecision(3))
}

/** The machine a run happened on, recorded with every result. */
export function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadavg: loadavg().map((l) => Number(l.toFixed(2))),
  }
}

/** Writes `bench/results/<scenario>.json`. */
export function writeResult(result: ScenarioResult, extra: Record<string, unknown>): string {
  mkdirSync(RESULTS, { recursive: true })
  const path = `${RESULTS}${result.scenario}.json`
  const body = { ...result, ...extra, machine: machine(), at: new Date().toISOString() }
  writeFileSync(path, `${JSON.stringify(body, null, 2)}\n`)
  return path
}

/** One table row: scenario, figures, and the targets with ✓ or ✗. */
export function formatRow(result: ScenarioResult): string {
  const targets = result.targets
    .map((t) => `${t.met ? '✓' : '✗'} ${t.name} ${t.value} (${t.target})`)
    .join('; ')
  return `| ${result.scenario} | ${result.summary} | ${targets || '–'} |`
}

export const TABLE_HEAD = '| scenario | figures | targets |\n|---|---|---|'
